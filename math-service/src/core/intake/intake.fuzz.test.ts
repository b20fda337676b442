/**
 * Fuzz: 10,000 malformed or hostile webhook bodies through `parseTradingViewBody` and
 * `evaluateIntake`. Nothing may escape but `AlertParseError` (a 4xx), a parsed alert always has
 * finite positive prices and a sane time, and nothing is approved without the right secret, a
 * whitelisted asset and a fresh time. Well-formed bodies whose outcome is known in advance (right or
 * wrong secret, BTC or an asset on no list, fresh or stale time) must get exactly that outcome: the
 * valid, fresh, authenticated BTC alerts among them are approved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertParseError } from './AlertParseError.js';
import { evaluateIntake } from './evaluateIntake.js';
import { parseTradingViewBody } from './parseTradingViewBody.js';

const NOW = 1_740_003_610_000;
const SECRET = 'correct-horse-battery';
const VALID = {
	secret: SECRET,
	alert_id: 'BINANCE:BTCUSDT-60-1740000000000-long',
	action: 'buy',
	ticker: 'BTCUSDT',
	exchange: 'BINANCE',
	interval: '60',
	time: 1_740_003_600_000,
	close: 84012.5,
	vwap: 86020.1,
	stop: 81492.1,
	target: 86020.1,
};
const KEYS = [...Object.keys(VALID), '__proto__', 'constructor', 'order', 'prototype'];

const hostileValue = fc.oneof(
	fc.jsonValue(),
	fc.constantFrom(
		'{{close}}',
		'{{strategy.order.price}}',
		'NaN',
		'Infinity',
		'-0',
		'0x10',
		'1e400',
		'1,5',
		'',
		' ',
		'\u0000',
		'SELL',
		'bUy',
		'DOGEUSDT',
		'BASEUSDT',
		'MATICUSDT',
		'BTC.D',
		SECRET,
		SECRET + ' ',
		'2025-02-30T00:00:00Z',
		'1740003600',
		'99999999999999999999',
	),
	fc.constantFrom(1e308, -1, 0, Number.MAX_SAFE_INTEGER, 1e-300, 1_740_003_600),
	fc.string({ maxLength: 300 }),
	fc.constant('x'.repeat(20_000)),
);

const mutatedBody = fc
	.tuple(
		fc.subarray(Object.keys(VALID)),
		fc.dictionary(fc.constantFrom(...KEYS), hostileValue, { maxKeys: 4 }),
		fc.boolean(),
	)
	.map(([dropped, patch, envelope]) => {
		const body: Record<string, unknown> = { ...VALID };
		for (const k of dropped) delete body[k];
		Object.assign(body, patch);
		const json = JSON.stringify(envelope ? { secret: body.secret, order: { ...body, secret: undefined } } : body);
		return json;
	});

/** Well-formed bodies that differ in the business fields: asset, time, secret. */
const businessBody = fc
	.record({
		ticker: fc.constantFrom(
			'BTCUSDT',
			'BINANCE:ETHUSDT.P',
			'DOGEUSDT',
			'BASEUSDT',
			'MATICUSDT',
			'PEPE/USDT',
			'BTC.D',
			'SOL-USDC',
		),
		lagMs: fc.integer({ min: -120_000, max: 600_000 }),
		secret: fc.constantFrom(SECRET, SECRET.toUpperCase(), 'x', ''),
	})
	.map(({ ticker, lagMs, secret }) => ({ body: JSON.stringify({ ...VALID, ticker, secret, time: NOW - lagMs }), expected: expectedOutcome(ticker, lagMs, secret) }));

/**
 * The outcome a well-formed body must get, worked out here from the rules (secret, then symbol and
 * whitelist, then age: at most 60 s old, at most 5 s ahead), or null where this test does not
 * decide it (other tickers, a lag within 1 s of a limit).
 */
function expectedOutcome(ticker: string, lagMs: number, secret: string): 'approved' | 'rejected' | 'unauthorized' | null {
	if (secret !== SECRET) return 'unauthorized';
	if (['DOGEUSDT', 'BASEUSDT', 'BTC.D', 'PEPE/USDT'].includes(ticker)) return 'rejected';
	if (ticker !== 'BTCUSDT') return null;
	if (Math.abs(lagMs - 60_000) <= 1_000 || Math.abs(lagMs + 5_000) <= 1_000) return null;
	return lagMs <= 60_000 && lagMs >= -5_000 ? 'approved' : 'rejected';
}

/** Valid, fresh, authenticated alerts with random prices: each must be approved. */
const freshValidBody = fc
	.record({ lagMs: fc.integer({ min: -4_000, max: 59_000 }), close: fc.double({ min: 0.01, max: 200_000, noNaN: true }) })
	.map(({ lagMs, close }) => ({
		body: JSON.stringify({ ...VALID, alert_id: `BINANCE:BTCUSDT-60-${NOW - lagMs}-long`, time: NOW - lagMs, close, vwap: close * 1.02, stop: close * 0.97, target: close * 1.06 }),
		expected: 'approved' as const,
	}));

const unknownOutcome = (body: string) => ({ body, expected: null });
const raw = fc.oneof(
	{ weight: 1, arbitrary: freshValidBody },
	{ weight: 3, arbitrary: businessBody },
	{ weight: 6, arbitrary: mutatedBody.map(unknownOutcome) },
	{ weight: 1, arbitrary: mutatedBody.map((s) => unknownOutcome('\uFEFF' + s + '\n\n')) },
	{ weight: 1, arbitrary: mutatedBody.map((s) => unknownOutcome(s.slice(0, Math.max(0, s.length - 7)))) },
	{ weight: 1, arbitrary: mutatedBody.map((s) => unknownOutcome(s.replace(/"(\d+(\.\d+)?)"|(\d+\.\d+)/, '{{close}}'))) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 500 }).map(unknownOutcome) },
	{ weight: 1, arbitrary: fc.jsonValue().map((v) => unknownOutcome(JSON.stringify(v))) },
);
const contentType = fc.constantFrom(
	'application/json',
	'text/plain; charset=utf-8',
	undefined,
	'',
	'APPLICATION/JSON',
	'multipart/form-data',
	'application/vnd.api+json',
);

describe('intake fuzz', () => {
	it(
		'10,000 hostile bodies: only AlertParseError escapes, nothing is approved without secret, whitelist and fresh time',
		{ timeout: 120_000 },
		() => {
			const counts = { parsed: 0, approved: 0, unauthorized: 0, rejected: 0, parseErrors: 0 };
			const known = { approved: 0, rejected: 0, unauthorized: 0 };
			fc.assert(
				fc.property(raw, contentType, ({ body, expected }, ct) => {
					let alert;
					try {
						alert = parseTradingViewBody(body, ct);
					} catch (error) {
						if (expected !== null && (ct === undefined || ct === '' || /json|text/i.test(ct))) throw new Error(`a well-formed body was refused: ${(error as Error).message}`);
						expect(error).toBeInstanceOf(AlertParseError);
						expect((error as AlertParseError).httpStatus).toBeGreaterThanOrEqual(400);
						expect((error as AlertParseError).httpStatus).toBeLessThan(500);
						if (body.includes(`"secret":"${SECRET}"`)) expect((error as Error).message).not.toContain(SECRET);
						counts.parseErrors++;
						return;
					}
					counts.parsed++;
					for (const price of [alert.close, alert.vwap, alert.stop, alert.target]) {
						if (price !== null) expect(Number.isFinite(price) && price > 0).toBe(true);
					}
					expect(Number.isSafeInteger(alert.timeMs) && alert.timeMs > 0).toBe(true);
					const outcome = evaluateIntake(alert, { expectedSecret: SECRET }, NOW);
					counts[outcome.status]++;
					if (outcome.status === 'approved') {
						expect(alert.secret).toBe(SECRET);
						expect(['BTC', 'ETH', 'SOL', 'AVAX', 'NEAR', 'BNB', 'ARB', 'OP', 'POL']).toContain(
							outcome.normalized?.base,
						);
						expect(NOW - alert.timeMs).toBeLessThanOrEqual(60_000);
						expect(NOW - alert.timeMs).toBeGreaterThanOrEqual(-5_000);
					}
					if (alert.secret !== SECRET) expect(outcome.status).toBe('unauthorized');
					if (expected !== null) {
						expect(outcome.status, body).toBe(expected);
						known[expected]++;
					}
				}),
				{ numRuns: 10_000, seed: 424242 },
			);
			expect(counts.approved, 'some mutated bodies are still valid').toBeGreaterThan(100);
			expect(counts.rejected, 'some are business rejections').toBeGreaterThan(100);
			expect(counts.unauthorized).toBeGreaterThan(100);
			expect(counts.parseErrors).toBeGreaterThan(1000);
			expect(known.approved, 'valid, fresh, authenticated alerts approved as expected').toBeGreaterThan(100);
			expect(known.rejected).toBeGreaterThan(100);
			expect(known.unauthorized).toBeGreaterThan(100);
		},
	);
});
