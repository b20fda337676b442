import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApp } from './app';
import { loadConfig } from './config';

const logged: unknown[] = [];
const app = createApp({ config: loadConfig({}), logError: (_m, e) => logged.push(e) });
const PATHS = ['/v1/kelly', '/v1/var', '/v1/metrics'];
const FIELDS = ['win_rate', 'avg_win', 'avg_loss', 'fraction', 'cap', 'returns', 'confidence', 'method', 'horizon', 'periods_per_year', 'trades', 'pnl', '__proto__', 'constructor'];

const hostileNumber = fc.oneof(
	fc.double(),
	fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 0.5, 1, 2),
	fc.integer(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	hostileNumber,
	fc.string(),
	fc.constantFrom(null, true, false, 'historical', 'cornish_fisher', '1e400', 'NaN', '', []),
	fc.array(hostileNumber, { maxLength: 50 }),
	fc.array(fc.record({ pnl: fc.oneof(hostileNumber, fc.string(), fc.constant(null)) }), { maxLength: 10 }),
	fc.jsonValue({ maxDepth: 3 }),
);
/** Objects whose keys look like the real fields, with hostile values. */
const nearValidBody = fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 8 }).map((o) => JSON.stringify(o));
/** JSON text with numbers JSON.parse turns into Infinity, deep nesting and odd unicode. */
const nastyText = fc.oneof(
	fc.constantFrom(
		'{"win_rate":1e400,"avg_win":1,"avg_loss":1}',
		'{"returns":[1e400,-1e400]}',
		'{"returns":[1,2,3],"periods_per_year":1e-320}',
		'{"trades":[{"pnl":1e308},{"pnl":1e308},{"pnl":-1e308}]}',
		`${'['.repeat(5000)}${']'.repeat(5000)}`,
		`{"returns":${'['.repeat(3000)}1${']'.repeat(3000)}}`,
		'{"__proto__":{"win_rate":0.5},"avg_win":1,"avg_loss":1}',
		'{"win_rate":0.5,"win_rate":"x","avg_win":1,"avg_loss":1}',
		'\uFEFF{"returns":[]}',
		'{"returns":[0.1,0.2],"method":"\u0000"}',
	),
	fc.string({ unit: 'binary', maxLength: 300 }),
	fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
	fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
	fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v).slice(0, -1)),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/vnd.api+json', '', 'application/json; charset=latin1');
const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');

async function send(path: string, m: string, ct: string, body: string) {
	const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
	const hasBody = m !== 'GET' && m !== 'HEAD';
	const res = await app.request(path, { method: m, headers, body: hasBody ? body : undefined });
	const text = await res.text();
	return { status: res.status, text };
}

/**
 * Valid Kelly requests with their answer worked out here from the textbook formula
 * (f* = p − (1 − p)/b with b = avg_win/avg_loss; fractional = max(0, fraction·f*); position =
 * min(fractional, cap) in percent), sent among the hostile ones: they must get exactly that.
 */
const validKelly = fc
	.record({
		win_rate: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
		avg_win: fc.double({ min: 0.001, max: 10, noNaN: true }),
		avg_loss: fc.double({ min: 0.001, max: 10, noNaN: true }),
		fraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
		cap: fc.double({ min: 0.01, max: 1, noNaN: true }),
	})
	.map((q) => {
		const kelly = q.win_rate - (1 - q.win_rate) / (q.avg_win / q.avg_loss);
		const fractional = Math.max(0, q.fraction * kelly);
		return { body: JSON.stringify(q), expected: { kelly_fraction: kelly, fractional_kelly: fractional, position_pct: Math.min(fractional, q.cap) * 100 } };
	});
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('fuzz: hostile bodies never give a 5xx', () => {
	it('answers valid Kelly requests mixed among 2,000 hostile ones with the textbook numbers', async () => {
		let valid = 0;
		await fc.assert(
			fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: validKelly }, { weight: 3, arbitrary: fc.oneof(nearValidBody, nastyText).map((body) => ({ body, expected: null })) }), contentType, async ({ body, expected }, ct) => {
				const { status, text } = await send('/v1/kelly', 'POST', expected === null ? ct : 'application/json', body);
				expect(status, `${body.slice(0, 200)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
				if (expected === null) return;
				valid++;
				expect(status, `${body} -> ${text}`).toBe(200);
				const got = JSON.parse(text) as typeof expected;
				for (const key of ['kelly_fraction', 'fractional_kelly', 'position_pct'] as const) expect(close(got[key], expected[key]), `${key}: ${body} -> ${text}`).toBe(true);
			}),
			{ numRuns: 2000, seed: 20261204 },
		);
		expect(valid).toBeGreaterThan(300);
		expect(logged).toEqual([]);
	}, 120_000);

	it('answers 2xx/4xx with a JSON body for 3,000 random requests', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...PATHS, '/health', '/nope'), method, contentType, fc.oneof(nearValidBody, nastyText), async (path, m, ct, body) => {
				const { status, text } = await send(path, m, ct, body);
				expect(status, `${m} ${path} [${ct}] ${body.slice(0, 200)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
				if (m !== 'OPTIONS') expect(() => JSON.parse(text)).not.toThrow();
			}),
			{ numRuns: 3000, seed: 20261122 },
		);
		expect(logged).toEqual([]);
	}, 120_000);

	it('answers 200 or 422 (never 5xx) for near-valid JSON bodies on each endpoint', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...PATHS), nearValidBody, async (path, body) => {
				const { status, text } = await send(path, 'POST', 'application/json', body);
				expect([200, 422], `${path} ${body.slice(0, 200)} -> ${text.slice(0, 300)}`).toContain(status);
				if (status === 422) expect(JSON.parse(text).detail.length).toBeGreaterThan(0);
			}),
			{ numRuns: 2000, seed: 7 },
		);
		expect(logged).toEqual([]);
	}, 120_000);
});
