/**
 * @module intake/tradingViewAlertSchema
 * The wire contract of a TradingView webhook alert (snake_case JSON) and its parsed, camelCase form.
 *
 * ```json
 * {"secret":"…","alert_id":"BINANCE:BTCUSDT-60-1740000000000-long","action":"buy","ticker":"BTCUSDT",
 *  "exchange":"BINANCE","interval":"60","time":1740003600000,"close":84012.5,"vwap":86020.1,
 *  "stop":81492.1,"target":86020.1}
 * ```
 * - `action`: `buy` opens (or adds to) a long; `sell` and `exit` both close it (spot, long-only:
 *   there is no short). Case-insensitive; TradingView's `{{strategy.order.action}}` gives `buy`/`sell`.
 * - Prices (`close`, `vwap`, `stop`, `target`) are numbers or numeric strings (placeholders are
 *   substituted as text); they must be finite and > 0. `stop` and `target` are required for `buy`.
 * - `time`: see `parseAlertTime` (ISO 8601, Unix ms, or Unix s detected by magnitude).
 * - `secret` may be missing or null here: authentication is `verifySecret`'s job (401, not 422).
 * - Unknown keys (e.g. the Pine script's `bar_time`) are ignored.
 */
import { z } from 'zod';
import { parseAlertTime } from './parseAlertTime.js';

export const ALERT_STRING_LIMITS = {
	secret: 256,
	alertId: 200,
	ticker: 64,
	exchange: 32,
	interval: 16,
} as const;

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A positive finite price given as a JSON number or a numeric string (no thousands separators). */
const price = z.union([z.number(), z.string().max(40)]).transform((value, ctx) => {
	const n = typeof value === 'number' ? value : NUMERIC_TEXT.test(value.trim()) ? Number(value.trim()) : NaN;
	if (!Number.isFinite(n) || n <= 0) {
		ctx.addIssue({ code: 'custom', message: `must be a positive number (got ${JSON.stringify(value)})` });
		return z.NEVER;
	}
	return n;
});

const optionalPrice = z
	.union([price, z.null(), z.literal('')])
	.optional()
	.transform((v) => (v === '' || v === undefined ? null : v));

const text = (max: number) => z.string().trim().min(1).max(max);

export const ACTIONS = ['buy', 'sell', 'exit'] as const;
export type AlertAction = (typeof ACTIONS)[number];

export const TradingViewAlertWireSchema = z
	.object({
		// A number is compared as its JSON text (a template with "secret": 12345); null means absent (401).
		secret: z
			.union([z.string().max(ALERT_STRING_LIMITS.secret), z.number()])
			.nullable()
			.optional()
			.transform((v) => (v === null || v === undefined ? undefined : String(v))),
		alert_id: z
			.union([text(ALERT_STRING_LIMITS.alertId), z.number().int().nonnegative()])
			.optional()
			.nullable(),
		action: z
			.string()
			.max(16)
			.transform((a) => a.trim().toLowerCase())
			.pipe(z.enum(ACTIONS, { message: 'must be "buy", "sell" or "exit"' })),
		ticker: text(ALERT_STRING_LIMITS.ticker),
		exchange: text(ALERT_STRING_LIMITS.exchange).optional().nullable(),
		interval: z
			.union([text(ALERT_STRING_LIMITS.interval), z.number().positive()])
			.optional()
			.nullable(),
		time: z.union([z.number(), z.string().max(40)]).transform((value, ctx) => {
			try {
				return parseAlertTime(value);
			} catch (error) {
				ctx.addIssue({ code: 'custom', message: (error as Error).message });
				return z.NEVER;
			}
		}),
		close: price,
		vwap: optionalPrice,
		stop: optionalPrice,
		target: optionalPrice,
	})
	.superRefine((alert, ctx) => {
		if (alert.action !== 'buy') return;
		for (const key of ['stop', 'target'] as const) {
			if (alert[key] === null) ctx.addIssue({ code: 'custom', path: [key], message: 'is required for a "buy" alert' });
		}
	})
	.transform(
		(a): TradingViewAlert => ({
			secret: a.secret,
			alertId: a.alert_id === undefined || a.alert_id === null ? null : String(a.alert_id),
			action: a.action,
			ticker: a.ticker,
			exchange: a.exchange ?? null,
			interval: a.interval === undefined || a.interval === null ? null : String(a.interval),
			timeMs: a.time,
			close: a.close,
			vwap: a.vwap,
			stop: a.stop,
			target: a.target,
		}),
	);

/** A parsed alert (camelCase). Prices in quote currency; `timeMs` Unix ms UTC. */
export interface TradingViewAlert {
	/** As sent; `undefined` when absent. Never log or echo it. */
	secret: string | undefined;
	alertId: string | null;
	action: AlertAction;
	ticker: string;
	exchange: string | null;
	interval: string | null;
	timeMs: number;
	close: number;
	vwap: number | null;
	stop: number | null;
	target: number | null;
}
