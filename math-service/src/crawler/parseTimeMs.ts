/**
 * @module crawler/parseTimeMs
 * A point in time as callers send it: Unix milliseconds (a number or a string of digits) or an
 * ISO 8601 date-time with a zone (`2025-06-02T12:00:00Z`); a date alone means 00:00 UTC.
 * Anything else, or a time outside 2000–2200, is null (the caller answers 422).
 */
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

export function parseTimeMs(value: unknown): number | null {
	let ms: number;
	if (typeof value === 'number') ms = value;
	else if (typeof value === 'string' && /^\d{1,16}$/.test(value.trim())) ms = Number(value.trim());
	else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}($|T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$)/.test(value.trim())) ms = Date.parse(value.trim());
	else return null;
	return Number.isSafeInteger(ms) && ms >= MIN_MS && ms < MAX_MS ? ms : null;
}
