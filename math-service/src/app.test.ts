import { describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from './app';
import { loadConfig, SERVICE_VERSION } from './config';
import type { Storage } from './storage/openStorage';

const fakeStorage = (ping: () => Promise<void>) => ({ ping, close: async () => {} }) as unknown as Storage;

const KEY = 'test-key-0123456789abcdef';

function makeApp(env: Record<string, string> = {}, extra: Partial<AppDeps> = {}) {
	return createApp({ config: loadConfig(env), logError: () => {}, ...extra });
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
	method: 'POST',
	headers: { 'content-type': 'application/json', ...headers },
	body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('GET /health', () => {
	it('answers ok with version, PAPER mode and the database kind', async () => {
		const res = await makeApp().request('/health');
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			status: 'ok',
			version: SERVICE_VERSION,
			mode: 'PAPER',
			database: { kind: 'sqlite', reachable: null },
		});
	});

	it('reports LIVE only when configured and a mysql database', async () => {
		const res = await makeApp({ HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY', EXCHANGE_API_KEY: 'test-key', EXCHANGE_API_SECRET: 'test-secret', DATABASE_URL: 'mysql://root@127.0.0.1:3306/hfq' }).request('/health');
		expect(await res.json()).toMatchObject({ mode: 'LIVE', database: { kind: 'mysql' } });
	});

	it('reports a reachable database when the storage ping resolves', async () => {
		const storage = fakeStorage(async () => {});
		const body = await (await makeApp({}, { storage }).request('/health')).json();
		expect(body).toMatchObject({ status: 'ok', database: { reachable: true } });
	});

	it('reports degraded (still 200) when the storage ping fails', async () => {
		const storage = fakeStorage(async () => Promise.reject(new Error('ECONNREFUSED')));
		const res = await makeApp({}, { storage }).request('/health');
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ status: 'degraded', database: { reachable: false } });
	});

	it('is open when an API key is configured', async () => {
		expect((await makeApp({ MATH_SERVICE_API_KEY: KEY }).request('/health')).status).toBe(200);
	});
});

describe('GET /openapi.json', () => {
	it('is an OpenAPI 3.1 document listing the three math routes with request and response schemas', async () => {
		const res = await makeApp({ MATH_SERVICE_API_KEY: KEY }).request('/openapi.json');
		expect(res.status).toBe(200);
		const doc = await res.json();
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.info.version).toBe(SERVICE_VERSION);
		for (const path of ['/v1/kelly', '/v1/var', '/v1/metrics']) {
			const op = doc.paths[path]?.post;
			expect(op, path).toBeDefined();
			expect(op.requestBody.content['application/json'].schema).toBeDefined();
			expect(op.responses['200'].content['application/json'].schema).toBeDefined();
			expect(op.responses['422'].content['application/json'].schema.$ref).toBe('#/components/schemas/HTTPValidationError');
		}
		expect(doc.paths['/health'].get).toBeDefined();
		expect(doc.components.securitySchemes.ApiKeyAuth).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
	});

	it('describes every request and response field of the kelly and var schemas', async () => {
		const doc = await (await makeApp().request('/openapi.json')).json();
		for (const name of ['KellyRequest', 'KellyResponse', 'VarRequest', 'VarResponse', 'MetricsRequest']) {
			const schema = doc.components.schemas[name];
			expect(schema, name).toBeDefined();
			for (const [field, prop] of Object.entries<{ description?: string }>(schema.properties)) {
				expect(prop.description, `${name}.${field}`).toMatch(/\w{3,}/);
			}
		}
		expect(doc.components.schemas.KellyRequest.required).toEqual(['win_rate', 'avg_win', 'avg_loss']);
		expect(doc.components.schemas.KellyRequest.properties.fraction.default).toBe(0.25);
		expect(doc.components.schemas.VarRequest.properties.method.enum).toEqual(['historical', 'parametric', 'cornish_fisher']);
	});
});

describe('GET /docs', () => {
	it('serves Swagger UI pointing at /openapi.json, without a key', async () => {
		const res = await makeApp({ MATH_SERVICE_API_KEY: KEY }).request('/docs');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/text\/html/);
		const html = await res.text();
		expect(html).toMatch(/swagger-ui/i);
		expect(html).toContain('/openapi.json');
	});
});

describe('API key', () => {
	const body = { win_rate: 0.55, avg_win: 1.5, avg_loss: 1 };

	it('answers 401 without the key and 200 with it', async () => {
		const app = makeApp({ MATH_SERVICE_API_KEY: KEY });
		const denied = await app.request('/v1/kelly', json(body));
		expect(denied.status).toBe(401);
		expect(await denied.json()).toEqual({ detail: 'Missing or invalid API key (X-API-Key header)' });
		expect((await app.request('/v1/kelly', json(body, { 'X-API-Key': 'wrong' }))).status).toBe(401);
		expect((await app.request('/v1/kelly', json(body, { 'X-API-Key': KEY }))).status).toBe(200);
	});

	it('lets the TradingView webhook through without a key (it checks the secret in its body)', async () => {
		const res = await makeApp({ MATH_SERVICE_API_KEY: KEY }).request('/v1/signals/tradingview', json({}));
		expect(res.status).not.toBe(404);
		expect(await res.text()).not.toMatch(/Missing or invalid API key/);
	});

	it('checks the key before validating the body', async () => {
		const res = await makeApp({ MATH_SERVICE_API_KEY: KEY }).request('/v1/kelly', json('{not json'));
		expect(res.status).toBe(401);
	});
});

describe('FastAPI-compatible errors', () => {
	const app = makeApp();

	it('answers 422 with FastAPI detail items for a bad /v1/kelly body', async () => {
		const res = await app.request('/v1/kelly', json({ win_rate: 'high', avg_win: -1 }));
		expect(res.status).toBe(422);
		expect(await res.json()).toEqual({
			detail: [
				{ type: 'float_parsing', loc: ['body', 'win_rate'], msg: 'Input should be a valid number, unable to parse string as a number', input: 'high' },
				{ type: 'greater_than', loc: ['body', 'avg_win'], msg: 'Input should be greater than 0', input: -1, ctx: { gt: 0 } },
				{ type: 'missing', loc: ['body', 'avg_loss'], msg: 'Field required', input: { win_rate: 'high', avg_win: -1 } },
			],
		});
	});

	it('answers 422 model_attributes_type when the body is JSON but not an object', async () => {
		const res = await app.request('/v1/kelly', json([1, 2, 3]));
		expect(res.status).toBe(422);
		expect((await res.json()).detail[0]).toMatchObject({ type: 'model_attributes_type', loc: ['body'] });
	});

	it('answers 400 with the parser message for garbage bytes', async () => {
		for (const garbage of ['{"win_rate": 0.5,', '\x00\xff\xfe garbage', '', 'NaN', "{'single': 1}"]) {
			const res = await app.request('/v1/kelly', json(garbage));
			expect(res.status, JSON.stringify(garbage)).toBe(400);
			const body = await res.json();
			expect(body.detail).toMatch(/^Malformed JSON body: \S/);
		}
	});

	it('answers 415 with the reason for a non-JSON content type', async () => {
		const res = await app.request('/v1/kelly', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'win_rate=1' });
		expect(res.status).toBe(415);
		expect((await res.json()).detail).toBe('Unsupported Media Type: send the body as application/json (got "text/plain")');
	});

	it('answers 413 with the limit for a body over the size limit', async () => {
		const small = createApp({ config: { ...loadConfig({}), bodyLimitBytes: 1024 }, logError: () => {} });
		const res = await small.request('/v1/var', json({ returns: new Array(1000).fill(0.001) }));
		expect(res.status).toBe(413);
		expect((await res.json()).detail).toBe('Request body too large: the limit is 1024 bytes');
	});

	it('answers 404 {"detail":"Not Found"} for an unknown route and 405 for a wrong method', async () => {
		const notFound = await app.request('/v1/nothing');
		expect(notFound.status).toBe(404);
		expect(await notFound.json()).toEqual({ detail: 'Not Found' });
		const wrongMethod = await app.request('/v1/kelly');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('POST');
		expect(await wrongMethod.json()).toEqual({ detail: 'Method Not Allowed' });
	});
});
