/**
 * @module intake/parseAlertTime
 * Reads the alert's `time` field into Unix milliseconds (UTC).
 *
 * Accepted forms (TradingView substitutes placeholders as text, so numbers may arrive as strings):
 * - ISO 8601 (`{{time}}`/`{{timenow}}` give `yyyy-MM-ddTHH:mm:ssZ`); fractional seconds and
 *   `±hh:mm`/`±hhmm` offsets allowed; a time without offset is read as **UTC** (TradingView's
 *   placeholders are UTC), never as the host's local time.
 * - Unix milliseconds (Pine `time`, `time_close`, `timenow`).
 * - Unix seconds, detected by magnitude: a value below 1e11 is seconds (1e11 s is the year 5138,
 *   while 1e11 ms is March 1973, before any crypto market data), from 1e11 up to 1e14 it is ms.
 *   Values ≥ 1e14 (microseconds/nanoseconds) are refused rather than guessed.
 * - Any time before 2000-01-01 or after 2200-01-01 is refused (a unit or template mistake).
 */
import { InvalidInputError } from '../../errors.js';

const SECONDS_BELOW = 1e11;
const MS_BELOW = 1e14;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);

/** Unix ms (UTC) from an ISO 8601 string, Unix ms or Unix seconds; throws `InvalidInputError` otherwise. */
export function parseAlertTime(value: unknown, field = 'time'): number {
	const ms = parseAnyTime(value, field);
	if (ms < EARLIEST_MS || ms >= LATEST_MS) {
		throw new InvalidInputError(
			`${field} ${new Date(ms).toISOString()} is outside 2000–2200: check the unit (ms or s) or the template`,
			[field],
		);
	}
	return ms;
}

function parseAnyTime(value: unknown, field: string): number {
	if (typeof value === 'number') return fromEpochNumber(value, field);
	if (typeof value !== 'string') {
		throw new InvalidInputError(`${field} must be an ISO 8601 string or Unix ms/s number`, [field]);
	}
	const text = value.trim();
	if (DECIMAL.test(text)) return fromEpochNumber(Number(text), field);
	const m = ISO.exec(text);
	if (!m) {
		throw new InvalidInputError(
			`${field} "${text.slice(
				0,
				40,
			)}" is not a valid time: send ISO 8601 (e.g. 2025-02-19T21:20:00Z, TradingView {{time}}) or Unix milliseconds`,
			[field],
		);
	}
	const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
	const ms = Number((frac + '000').slice(0, 3));
	const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
	const check = new Date(utc);
	if (
		check.getUTCFullYear() !== Number(y) ||
		check.getUTCMonth() !== Number(mo) - 1 ||
		check.getUTCDate() !== Number(d) ||
		check.getUTCHours() !== Number(h) ||
		check.getUTCMinutes() !== Number(mi) ||
		check.getUTCSeconds() !== Number(s)
	) {
		throw new InvalidInputError(`${field} "${text}" is not a valid calendar date/time`, [field]);
	}
	return utc - offsetMs(zone);
}

function offsetMs(zone: string | undefined): number {
	if (!zone || zone.toUpperCase() === 'Z') return 0;
	const sign = zone.startsWith('-') ? -1 : 1;
	const digits = zone.slice(1).replace(':', '');
	const hours = Number(digits.slice(0, 2));
	const minutes = Number(digits.slice(2, 4));
	return sign * (hours * 60 + minutes) * 60_000;
}

function fromEpochNumber(n: number, field: string): number {
	if (!Number.isFinite(n) || n <= 0) {
		throw new InvalidInputError(`${field} must be a positive Unix time (got ${String(n)})`, [field]);
	}
	if (n < SECONDS_BELOW) return Math.round(n * 1000);
	if (n < MS_BELOW) return Math.round(n);
	throw new InvalidInputError(`${field} ${n} looks like micro- or nanoseconds; send Unix milliseconds or ISO 8601`, [
		field,
	]);
}
