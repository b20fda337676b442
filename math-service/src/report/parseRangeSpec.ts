/**
 * @module report/parseRangeSpec
 * Parameter ranges as the sweep CLI and `POST /v1/backtests/sweep` take them: `start:stop:step`, inclusive of `stop` when the
 * steps land on it, or a single value. Values are computed as `start + i·step` and rounded to the
 * decimals written in the arguments, so `0.5:2.75:0.25` gives exactly 0.5, 0.75, …, 2.75 and
 * `0.1:0.3:0.1` gives 0.1, 0.2, 0.3 (not 0.30000000000000004, and not one value short).
 */
import { InvalidInputError } from '../errors.js';

const MAX_VALUES = 100_000;

/** Digits after the decimal point of a decimal literal ("2.75" → 2, "1e-3" → 3). */
function decimalsOf(text: string): number {
	const m = /^[+-]?\d*(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
	if (m === null) return 0;
	return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

function parseNumber(text: string, option: string, spec: string, loc: (string | number)[]): number {
	const t = text.trim();
	const value = t === '' ? Number.NaN : Number(t);
	if (!Number.isFinite(value)) throw new InvalidInputError(`${option} "${spec}": "${text}" is not a number (use start:stop:step, e.g. 10:100:10, or one value)`, loc);
	return value;
}

/**
 * Parses `spec` for `option` (named in error messages). With `integer`, every value must be a whole
 * number (bar counts). Throws InvalidInputError (at `loc`) on malformed input, step ≤ 0, stop < start
 * or more than `maxValues` (default 100,000) values.
 */
export function parseRangeSpec(spec: string, option: string, opts: { integer?: boolean; loc?: (string | number)[]; maxValues?: number } = {}): number[] {
	const loc = opts.loc ?? [option];
	const maxValues = opts.maxValues ?? MAX_VALUES;
	const fail = (why: string): never => {
		throw new InvalidInputError(`${option} "${spec}"${why}`, loc);
	};
	const parts = spec.split(':');
	let values: number[] | undefined;
	if (parts.length === 1) {
		values = [parseNumber(parts[0], option, spec, loc)];
	} else if (parts.length === 3) {
		const [start, stop, step] = parts.map((p) => parseNumber(p, option, spec, loc));
		if (!(step > 0)) fail(': the step must be > 0');
		if (stop < start) fail(': stop must be >= start');
		const decimals = Math.min(15, Math.max(decimalsOf(parts[0]), decimalsOf(parts[2])));
		const span = (stop - start) / step;
		// Tolerate floating-point noise in the quotient: (2.75 − 0.5) / 0.25 may come out as 8.999999….
		const count = Math.floor(span + 1e-9 * Math.max(1, span)) + 1;
		if (count > maxValues) fail(`: too many values (${count}; at most ${maxValues})`);
		values = Array.from({ length: count }, (_, i) => Number((start + i * step).toFixed(decimals)));
	} else {
		fail(' must be start:stop:step (e.g. 10:100:10) or one value');
	}
	if (opts.integer && !values!.every(Number.isInteger)) fail(' must give integer values (a number of bars)');
	return values!;
}
