/**
 * @module intake/alertKey
 * The idempotency key of an alert. TradingView re-sends an alert up to 3 times (5 s apart) when the
 * receiver answers 5xx, and the Pine strategy may fire the same signal from `alert()` and from the
 * order fill; every delivery of one signal must map to one decision.
 *
 * - With `alert_id`: `id:<alert_id>`. The Pine strategy makes it unique per ticker id, timeframe,
 *   bar time and signal (`BINANCE:BTCUSDT-60-1740000000000-long`), so both alert routes agree.
 *   An alert_id that is NOT unique per bar (e.g. a constant) would swallow every later signal as a
 *   duplicate: build it from the bar time.
 * - Without: `sha256:<hex>` of upper-cased ticker, time (Unix ms) and action — the `ticker + time +
 *   order id` key TradingView's docs suggest, with the action standing in for the order id.
 */
import { createHash } from 'node:crypto';
import type { TradingViewAlert } from './tradingViewAlertSchema.js';

export function alertKey(alert: Pick<TradingViewAlert, 'alertId' | 'ticker' | 'timeMs' | 'action'>): string {
	if (alert.alertId !== null && alert.alertId !== '') return `id:${alert.alertId}`;
	const material = JSON.stringify([alert.ticker.trim().toUpperCase(), alert.timeMs, alert.action]);
	return `sha256:${createHash('sha256').update(material, 'utf8').digest('hex')}`;
}
