/**
 * @module EnvReader
 * Reads settings from the environment strictly: a value that is set but cannot be used is a
 * problem naming the variable and the reason (`OLLAMA_TIMEOUT_MS: "abc" is not an integer`),
 * never a silent fall-back to the default. Empty or blank values count as unset. Readers collect
 * every problem; `throwIfInvalid` reports them together as one `OperatorError`, so the service
 * stops before it listens (main.ts exits 78) and the operator fixes all of them at once.
 */
import { OperatorError } from './errors.js';

type Env = Record<string, string | undefined>;

const TRUE_WORDS = new Set(['1', 'true']);
const FALSE_WORDS = new Set(['0', 'false']);

export class EnvReader {
	readonly problems: string[] = [];

	constructor(private readonly env: Env) {}

	/** The trimmed value, or undefined when unset or blank. */
	raw(name: string): string | undefined {
		const value = this.env[name];
		return value === undefined || value.trim() === '' ? undefined : value.trim();
	}

	problem(name: string, reason: string): void {
		this.problems.push(`${name}: ${reason}`);
	}

	string(name: string, fallback: string): string {
		return this.raw(name) ?? fallback;
	}

	/** A whole number in [min, max]. */
	integer(name: string, fallback: number, range: { min: number; max: number }): number {
		const text = this.raw(name);
		if (text === undefined) return fallback;
		if (!/^[+-]?\d+$/.test(text)) return this.refuse(name, `${quote(text)} is not an integer`, fallback);
		return this.inRange(name, Number(text), range, fallback);
	}

	/** A finite decimal number in [min, max]; `above` makes the lower bound exclusive. */
	number(name: string, fallback: number, range: { min: number; max: number; above?: boolean }): number {
		const text = this.raw(name);
		if (text === undefined) return fallback;
		const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
		if (!Number.isFinite(value)) return this.refuse(name, `${quote(text)} is not a number`, fallback);
		if (range.above === true && value <= range.min) return this.refuse(name, `${text} must be greater than ${range.min}`, fallback);
		return this.inRange(name, value, range, fallback);
	}

	/** `1`/`true` or `0`/`false` (any case). */
	boolean(name: string, fallback: boolean): boolean {
		const text = this.raw(name);
		if (text === undefined) return fallback;
		const word = text.toLowerCase();
		if (TRUE_WORDS.has(word)) return true;
		if (FALSE_WORDS.has(word)) return false;
		return this.refuse(name, `${quote(text)} is not a boolean; use 1 or 0 (true or false)`, fallback);
	}

	/** One of `values`, exactly (case-sensitive). */
	oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
		const text = this.raw(name);
		if (text === undefined) return fallback;
		if ((values as readonly string[]).includes(text)) return text as T;
		return this.refuse(name, `${quote(text)} is not one of ${values.map((v) => `"${v}"`).join(', ')}`, fallback);
	}

	/** An absolute http(s) URL without credentials in it; returned without a trailing slash. */
	httpUrl(name: string): string | null {
		const text = this.raw(name);
		if (text === undefined) return null;
		let url: URL;
		try {
			url = new URL(text);
		} catch {
			return this.refuse(name, `${quote(text)} is not a URL; use e.g. http://127.0.0.1:11434`, null);
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return this.refuse(name, `must be an http(s) URL, got ${url.protocol}`, null);
		return text.replace(/\/+$/, '');
	}

	/** Throws one OperatorError listing every problem found so far (nothing when there is none). */
	throwIfInvalid(what = 'math-service configuration'): void {
		if (this.problems.length > 0) {
			throw new OperatorError(`Invalid ${what}:\n${this.problems.map((p) => `  ${p}`).join('\n')}`);
		}
	}

	private inRange(name: string, value: number, range: { min: number; max: number }, fallback: number): number {
		if (value < range.min || value > range.max) return this.refuse(name, `${value} is out of range ${range.min}–${range.max}`, fallback);
		return value;
	}

	private refuse<T>(name: string, reason: string, fallback: T): T {
		this.problem(name, reason);
		return fallback;
	}
}

function quote(text: string): string {
	return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
