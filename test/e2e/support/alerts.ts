// TradingView-shaped alerts for the end-to-end tests and the pipeline benchmark: the JSON message
// pine/vwap-mean-reversion.pine sends ({secret, alert_id, action, ticker, exchange, interval, time,
// close, vwap, stop, target}), at the real clock (the service checks staleness against its own
// clock), with realistic prices per asset. Default levels follow the strategy: stop 3 % below the
// close, target = VWAP 5 % above, so reward/risk = 5/3 ≈ 1.67 ≥ 1.5.
import { randomBytes } from 'node:crypto';

/** Late-2025 magnitudes, so sizes and quantities look like real ones. */
export const PRICES: Record<string, number> = {
	BTC: 90_000,
	ETH: 3_000,
	SOL: 140,
	AVAX: 14,
	NEAR: 2.2,
	BNB: 870,
	ARB: 0.2,
	OP: 0.35,
	POL: 0.13,
	DOGE: 0.15,
};

const RUN = randomBytes(3).toString('hex');
let seq = 0;

export interface AlertOptions {
	asset?: string;
	/** e.g. 'BINANCE:ETHUSDT'; default BINANCE:<asset>USDT */
	ticker?: string;
	timeMs?: number;
	close?: number;
	stopRatio?: number;
	targetRatio?: number;
	alertId?: string;
}

/** A buy alert; `overrides` replace fields of the message as sent (e.g. {secret: 'wrong'}). */
export function tvAlert(secret: string, opts: AlertOptions = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const asset = opts.asset ?? 'BTC';
	const close = opts.close ?? PRICES[asset] ?? 1;
	const timeMs = opts.timeMs ?? Date.now();
	const ticker = opts.ticker ?? `BINANCE:${asset}USDT`;
	const round = (x: number) => Number(x.toPrecision(8));
	const target = round(close * (1 + (opts.targetRatio ?? 0.05)));
	return {
		secret,
		alert_id: opts.alertId ?? `${ticker}-60-${timeMs}-long-${RUN}-${++seq}`,
		action: 'buy',
		ticker,
		exchange: ticker.includes(':') ? ticker.split(':')[0] : 'BINANCE',
		interval: '60',
		time: timeMs,
		close,
		vwap: target,
		stop: round(close * (1 - (opts.stopRatio ?? 0.03))),
		target,
		...overrides,
	};
}

export type AlertContentType = 'application/json' | 'text/plain';

/** POSTs an alert as TradingView does (JSON text in the body; content type json or text/plain). */
export async function postAlert(url: string, alert: unknown, contentType: AlertContentType = 'application/json') {
	const started = performance.now();
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof alert === 'string' ? alert : JSON.stringify(alert) });
	const text = await res.text();
	let body: any = null;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		body = text;
	}
	return { status: res.status, body, text, ms: performance.now() - started };
}
