// Fuzz: ≥ 10,000 malformed or hostile bodies to POST /v1/signals/tradingview (fast-check, fixed
// seed) on a SQLite file, and the first 2,000 again on MariaDB: zero 5xx, zero unexpected errors
// logged, zero trades, no prototype pollution, and every answer is JSON with a reason.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { counts, SECRET, startService, T0, type ServiceHarness } from './serviceHarness';

const SEED = 20_260_115;
const RUNS = 10_000;
let h: ServiceHarness;
interface Delivery {
	body: string | Uint8Array;
	contentType: string | null;
	query?: string;
}

const contentTypes = fc.constantFrom<string | null>(
	'application/json',
	'text/plain',
	'text/plain; charset=utf-8',
	'application/json; charset=latin1',
	null,
	'application/xml',
	'multipart/form-data; boundary=x',
	'application/x-www-form-urlencoded',
	'text/html',
	'application/vnd.api+json',
	'garbage/;;;',
	'',
);

const hostileString = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme', maxLength: 50 }),
	fc.string({ unit: 'binary', maxLength: 50 }),
	fc.constantFrom(
		'{{close}}',
		'{{ticker}}',
		'{{strategy.order.alert_message}}',
		'BTCUSDT{{interval}}',
		'ВТСUSDT', // Cyrillic look-alikes
		'BTC\u0000USDT',
		'BTC/USDT\n',
		'../../etc/passwd',
		"'; DROP TABLE decisions; --",
		'\uFEFF',
		'NaN',
		'Infinity',
		'-1',
		'1e309',
		'0x10',
		'__proto__',
		'constructor',
		'BINANCE:DOGEUSDT',
		'BASE/USDT',
		'TOTAL3',
		'BTC.D',
	),
	fc.string({ minLength: 300, maxLength: 3000 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	{ depthSize: 'small' },
	hostileString,
	fc.double(),
	fc.integer(),
	fc.bigInt().map((b) => b.toString()),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
	fc.object({ maxDepth: 2 }),
);

const fields = ['secret', 'alert_id', 'action', 'ticker', 'exchange', 'interval', 'time', 'close', 'vwap', 'stop', 'target', 'thresholds'];

/** An alert-shaped object with some fields hostile. With the right secret it is always stale or bad. */
const alertLike = fc
	.record({
		secret: fc.oneof(fc.constant(SECRET), fc.constant(SECRET.toUpperCase()), fc.constant(''), hostileString),
		alert_id: fc.oneof(hostileString, fc.integer()),
		action: fc.oneof(fc.constantFrom('buy', 'BUY', 'sell', 'exit', 'short', ''), hostileString),
		ticker: fc.oneof(fc.constantFrom('BINANCE:DOGEUSDT', 'BASEUSDT', 'TOTAL3', 'BTC.D'), hostileString),
		time: fc.oneof(fc.integer({ min: 0, max: T0 - 3_600_000 }), hostileString, fc.double()),
		close: hostileValue,
		stop: hostileValue,
		target: hostileValue,
	})
	.chain((base) =>
		fc
			.dictionary(fc.constantFrom(...fields, '__proto__', 'constructor', 'prototype', 'order'), hostileValue, { maxKeys: 4 })
			.map((extra) => ({ ...base, ...extra })),
	);

const deliveries: fc.Arbitrary<Delivery> = fc.oneof(
	// Random bytes.
	fc.record({ body: fc.uint8Array({ maxLength: 400 }), contentType: contentTypes }),
	// Random text.
	fc.record({ body: hostileString, contentType: contentTypes }),
	// Alert-shaped JSON with wrong types, unicode, placeholders.
	fc.record({ body: alertLike.map((o) => JSON.stringify(o)), contentType: contentTypes }),
	// Valid JSON of the wrong shape.
	fc.record({ body: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), contentType: contentTypes }),
	// Deep nesting.
	fc.record({
		body: fc.integer({ min: 100, max: 20_000 }).map((n) => `{"secret":"${SECRET}","order":${'['.repeat(n)}${']'.repeat(n)}}`),
		contentType: fc.constant('application/json'),
	}),
	// Prototype-pollution attempts, with the right secret only inside __proto__ / constructor.
	fc.record({
		body: fc.constantFrom(
			`{"__proto__":{"secret":"${SECRET}","isAdmin":true},"action":"buy","ticker":"BTCUSDT","time":${T0},"close":100,"stop":97,"target":106}`,
			`{"constructor":{"prototype":{"secret":"${SECRET}"}},"action":"buy","ticker":"BTCUSDT","time":${T0},"close":100,"stop":97,"target":106}`,
			`{"secret":"${SECRET}","order":{"__proto__":{"action":"buy"},"ticker":"BTCUSDT"}}`,
			`{"secret":"${SECRET}","action":"buy","ticker":"BTCUSDT","time":${T0},"close":100,"stop":97,"target":106,"thresholds":{"__proto__":{"kelly_fraction":1}}}`,
		),
		contentType: fc.constant('application/json'),
	}),
	// Unexpanded placeholders (TradingView sends the template text when it cannot fill it).
	fc.record({
		body: fc.constantFrom(
			`{"secret":"${SECRET}","action":"buy","ticker":"{{ticker}}","time":{{timenow}},"close":{{close}},"stop":97,"target":106}`,
			`{"secret":"{{secret}}","action":"{{strategy.order.action}}","ticker":"BTCUSDT","time":${T0},"close":100,"stop":97,"target":106}`,
			`{"secret":"${SECRET}","order":{{strategy.order.alert_message}}}`,
		),
		contentType: contentTypes,
	}),
	// Truncated authenticated alerts: the secret is readable, the JSON is not (400 after the 401 gate).
	fc.record({
		body: fc.integer({ min: 30, max: 120 }).map((n) => JSON.stringify({ secret: SECRET, action: 'buy', ticker: 'BTCUSDT', time: T0, close: 100, stop: 97, target: 106 }).slice(0, n)),
		contentType: contentTypes,
	}),
	// Huge bodies: above the 16 KB alert limit, some above the 5 MB service limit.
	fc.record({
		body: fc.integer({ min: 16_385, max: 200_000 }).map((n) => `{"secret":"${SECRET}","ticker":"${'A'.repeat(n)}"}`),
		contentType: fc.constant('text/plain'),
	}),
	// Good secret and shape but hostile threshold overrides in the query string.
	fc.record({
		body: fc.constant(JSON.stringify({ secret: SECRET, alert_id: 'fuzz-q', action: 'buy', ticker: 'BINANCE:DOGEUSDT', time: T0, close: 100, stop: 97, target: 106 })),
		contentType: fc.constant('application/json'),
		query: fc.dictionary(fc.constantFrom('max_lag_seconds', 'kelly_fraction', 'tier1', 'whitelist.tier2', 'kelly_prior.win_rate', 'llm.model', 'fee_ratio', '__proto__', 'x'), fc.string({ maxLength: 30 }), { maxKeys: 3 }).map(
			(q) => new URLSearchParams(q).toString(),
		),
	}),
);

const ALLOWED = new Set([200, 400, 401, 413, 415, 422]);

async function fuzz(runs: number) {
	const seen = new Map<number, number>();
	let count = 0;
	await fc.assert(
		fc.asyncProperty(deliveries, async (d) => {
			count++;
			const headers: Record<string, string> = {};
			if (d.contentType !== null) headers['content-type'] = d.contentType;
			const res = await h.app.request(`/v1/signals/tradingview${d.query ? `?${d.query}` : ''}`, { method: 'POST', headers, body: d.body as BodyInit });
			seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
			expect(ALLOWED.has(res.status), `status ${res.status} for ${String(d.body).slice(0, 200)}`).toBe(true);
			const payload = (await res.json()) as { detail?: unknown; status?: string };
			if (res.status === 200) expect(payload.status).toBe('rejected');
			else expect(payload.detail).toBeDefined();
		}),
		{ numRuns: runs, seed: SEED, endOnFailure: true },
	);
	expect(count).toBeGreaterThanOrEqual(runs);
	expect(h.logged).toEqual([]);
	expect((await counts(h.storage)).positions).toBe(0);
	expect(await h.storage.paperLedger.openPositions()).toEqual([]);
	expect(({} as Record<string, unknown>).secret).toBeUndefined();
	expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
	// Every class of answer was exercised.
	for (const status of [200, 400, 401, 413, 415, 422]) expect(seen.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
}

describe('fuzzing POST /v1/signals/tradingview', () => {
	afterEach(async () => {
		await h?.close();
	});

	it(`SQLite file: answers ${RUNS} hostile bodies with 2xx/4xx JSON only, logs no error and never trades`, async () => {
		h = await startService({ db: 'sqlite-file' });
		await fuzz(RUNS);
	}, 600_000);

	it('MariaDB (strict SQL mode, utf8mb4 columns): the same bodies, first 2,000', async () => {
		h = await startService({ db: 'mysql' });
		await fuzz(2_000);
	}, 600_000);
});
