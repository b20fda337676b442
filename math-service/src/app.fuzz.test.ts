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

describe('fuzz: hostile bodies never give a 5xx', () => {
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
