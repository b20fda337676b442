/**
 * @module cli/cliOptions
 * Command-line options for the backtest, sweep and import CLIs: `--name value`, `--name=value` and
 * boolean `--flag`, parsed by node:util's strict parser, plus typed readers that turn a bad value
 * into a {@link UsageError} naming the option (the CLI then exits with code 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from './UsageError.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
export type OptionValues = Record<string, string | boolean | undefined>;

/** Parses `argv` (without node and the script) against `spec`; unknown options and positionals are errors. */
export function parseCliOptions(argv: readonly string[], spec: OptionSpec): OptionValues {
	try {
		const { values } = parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: false });
		return values as OptionValues;
	} catch (error) {
		const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
		throw new UsageError(message);
	}
}

/** A string option; with `required`, its absence is a UsageError. */
export function stringOption(values: OptionValues, name: string, required: true): string;
export function stringOption(values: OptionValues, name: string, required?: false): string | undefined;
export function stringOption(values: OptionValues, name: string, required = false): string | undefined {
	const v = values[name];
	if (v === undefined || v === false) {
		if (required) throw new UsageError(`--${name} is required`);
		return undefined;
	}
	if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} needs a value`);
	return v;
}

export interface NumberBounds {
	min?: number;
	max?: number;
	maxExclusive?: boolean;
	integer?: boolean;
}

/** A numeric option within bounds, or `fallback` when absent. */
export function numberOption(values: OptionValues, name: string, bounds: NumberBounds, fallback?: number): number | undefined {
	const text = stringOption(values, name);
	if (text === undefined) return fallback;
	const value = Number(text);
	if (!Number.isFinite(value)) throw new UsageError(`--${name} "${text}" is not a number`);
	if (bounds.integer && !Number.isInteger(value)) throw new UsageError(`--${name} must be an integer, got ${text}`);
	if (bounds.min !== undefined && value < bounds.min) throw new UsageError(`--${name} must be >= ${bounds.min}, got ${text}`);
	if (bounds.max !== undefined && (bounds.maxExclusive ? value >= bounds.max : value > bounds.max)) {
		throw new UsageError(`--${name} must be ${bounds.maxExclusive ? '<' : '<='} ${bounds.max}, got ${text}`);
	}
	return value;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_NO_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const DATE_TIME_ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A point in time in ms UTC: `YYYY-MM-DD` (00:00 UTC), `YYYY-MM-DDTHH:MM[:SS]` (UTC), an ISO time with
 * a zone, or epoch milliseconds. Undefined when absent.
 */
export function timeOption(values: OptionValues, name: string): number | undefined {
	const text = stringOption(values, name);
	if (text === undefined) return undefined;
	const t = text.trim();
	let ms = Number.NaN;
	if (/^\d{10,}$/.test(t)) ms = Number(t);
	else if (DATE_ONLY.test(t)) ms = Date.parse(`${t}T00:00:00Z`);
	else if (DATE_TIME_NO_ZONE.test(t)) ms = Date.parse(`${t.replace(' ', 'T')}Z`);
	else if (DATE_TIME_ZONED.test(t)) ms = Date.parse(t.replace(' ', 'T'));
	if (!Number.isFinite(ms)) throw new UsageError(`--${name} "${text}" is not a date (use YYYY-MM-DD, an ISO 8601 time, or epoch ms)`);
	// Date.parse rolls 2020-02-31 over to March; a date that does not exist is a typo.
	if (DATE_ONLY.test(t) && new Date(ms).toISOString().slice(0, 10) !== t) throw new UsageError(`--${name} "${text}" is not a calendar date`);
	return ms;
}
