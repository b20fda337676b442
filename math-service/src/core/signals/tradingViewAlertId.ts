/**
 * @module signals/tradingViewAlertId
 * The alert id the Pine strategy gives a signal (`syminfo.tickerid-timeframe.period-time-long`,
 * e.g. `BINANCE:BTCUSDT-60-1740000000000-long`), computed server-side so a signal the service's own
 * scan finds and the TradingView alert for the same bar share one idempotency key: both on, one
 * decision.
 */
import { InvalidInputError } from '../../errors.js';

/** Pine's `timeframe.period` of a ccxt timeframe: minutes as a number, then D, W, M. */
export function pineTimeframePeriod(timeframe: string): string {
	const m = /^(\d+)([mhdwM])$/.exec(timeframe.trim());
	if (!m) throw new InvalidInputError(`unknown timeframe "${timeframe}"`, ['timeframe']);
	const n = Number(m[1]);
	switch (m[2]) {
		case 'm':
			return String(n);
		case 'h':
			return String(n * 60);
		case 'd':
			return `${n === 1 ? '' : n}D`;
		case 'w':
			return `${n === 1 ? '' : n}W`;
		default:
			return `${n === 1 ? '' : n}M`;
	}
}

/** `EXCHANGE:BASEQUOTE-<period>-<bar open time ms>-long` for a long signal at the close of that bar. */
export function tradingViewAlertId(exchange: string, symbol: string, timeframe: string, barOpenTimeMs: number): string {
	const pair = symbol.replace('/', '').toUpperCase();
	return `${exchange.toUpperCase()}:${pair}-${pineTimeframePeriod(timeframe)}-${barOpenTimeMs}-long`;
}
