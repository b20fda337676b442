/**
 * @module report/toSnakeCase
 * The wire format of backtest results is snake_case JSON (as every math-service route); the core
 * speaks camelCase. Numbers that are not finite become null (JSON has no NaN or Infinity).
 */

export const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/** A flat object with snake_case keys; non-finite numbers become null, other values pass through. */
export function snakeKeys(obj: object): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(obj)) out[snakeCase(key)] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
	return out;
}

/** ISO 8601 UTC without milliseconds, e.g. `2024-03-01T14:00:00Z` (TradingView's List of Trades shows the bar's open time). */
export function isoTime(ms: number): string {
	return new Date(ms).toISOString().replace('.000Z', 'Z');
}
