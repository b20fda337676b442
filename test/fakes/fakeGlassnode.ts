// Loopback fake of the Glassnode API v1 (docs.glassnode.com): GET /v1/metrics/<category>/<metric>
// with a (asset), i (interval, default 24h), s/u (since/until, Unix seconds, inclusive), e
// (exchange), c (NATIVE|USD), timestamp_format (unix|humanized); key as `api_key` query parameter
// or `X-Api-Key` header (401 without). Series come from test/fixtures/api-samples/glassnode/ (see
// SAMPLE_SERIES) or `setSeries`; an unknown metric is 404, a known metric without that
// asset/interval/exchange/currency is 400. Rate-limit headers as in success.headers.json.
import type { ServerResponse } from 'node:http';

import { FailureQueue, loadErrors, loadSample, sendJson, sendSampleError, startFakeServer, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

export interface GlassnodePoint {
	t: number;
	v?: number | null;
	o?: Record<string, number | null>;
}

export interface SeriesParams {
	a: string;
	i?: string;
	e?: string;
	c?: string;
}

export type GlassnodeErrorName = 'unauthorized' | 'forbidden_tier' | 'bad_request' | 'not_found' | 'rate_limited' | (string & {});

export interface FakeGlassnode extends FakeBase {
	/** Replace or add the series served for one metric path (e.g. 'indicators/sopr') and parameters. */
	setSeries(metricPath: string, params: SeriesParams, points: GlassnodePoint[]): void;
	failNext(error: GlassnodeErrorName | SampleError, times?: number): void;
	/** The API key each request carried (query or header), in order. */
	keysUsed(): (string | undefined)[];
	reset(): void;
}

/** Sample files → (metric path, parameters). */
export const SAMPLE_SERIES: [string, SeriesParams, string][] = [
	['transactions/transfers_volume_exchanges_net', { a: 'BTC', i: '24h' }, 'transfers_volume_exchanges_net_BTC_24h.json'],
	['transactions/transfers_volume_exchanges_net', { a: 'BTC', i: '1h', e: 'binance' }, 'transfers_volume_exchanges_net_BTC_1h_binance.json'],
	['transactions/transfers_volume_exchanges_net', { a: 'BTC', i: '24h', c: 'USD' }, 'transfers_volume_exchanges_net_BTC_24h_usd.json'],
	['indicators/sopr', { a: 'BTC', i: '24h' }, 'sopr_BTC_24h.json'],
	['indicators/sopr_more_155', { a: 'BTC', i: '24h' }, 'sopr_more_155_BTC_24h.json'],
	['indicators/sopr_less_155', { a: 'BTC', i: '24h' }, 'sopr_less_155_BTC_24h.json'],
];

const seriesKey = (p: SeriesParams) =>
	[p.a.toUpperCase(), p.i ?? '24h', (p.e ?? 'aggregated').toLowerCase(), (p.c ?? 'NATIVE').toUpperCase()].join('|');

/** Glassnode's humanized timestamp: RFC 3339 without fractional seconds. */
export const humanize = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

export async function startFakeGlassnode(opts: { apiKey?: string } = {}): Promise<FakeGlassnode> {
	const errors = loadErrors('glassnode');
	const okHeaders = loadSample<{ headers: Record<string, string> }>('glassnode', 'success.headers.json').headers;
	const limit = Number(okHeaders['x-rate-limit-limit']);
	const series = new Map<string, Map<string, GlassnodePoint[]>>();
	const failures = new FailureQueue<'metrics', SampleError>();
	const keys: (string | undefined)[] = [];
	let used = 0;
	let windowStart = Date.now();

	const setSeries = (path: string, params: SeriesParams, points: GlassnodePoint[]) => {
		if (!series.has(path)) series.set(path, new Map());
		series.get(path)!.set(seriesKey(params), points);
	};
	const loadSamples = () => {
		series.clear();
		for (const [path, params, file] of SAMPLE_SERIES) setSeries(path, params, loadSample<GlassnodePoint[]>('glassnode', file));
	};
	loadSamples();

	const rateHeaders = () => {
		if (Date.now() - windowStart >= 60_000) {
			windowStart = Date.now();
			used = 0;
		}
		used += 1;
		return {
			'x-rate-limit-limit': String(limit),
			'x-rate-limit-remaining': String(Math.max(0, limit - used)),
			'x-rate-limit-reset': String(Math.max(1, Math.ceil((windowStart + 60_000 - Date.now()) / 1000))),
		};
	};

	const base = await startFakeServer((req: FakeRequest, res: ServerResponse) => {
		const key = req.query.api_key ?? (req.headers['x-api-key'] as string | undefined);
		keys.push(key);
		const headers = rateHeaders();
		const match = /^\/v1\/metrics\/([a-z_]+\/[a-z0-9_]+)$/.exec(req.path);
		if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) return sendSampleError(res, errors.unauthorized, headers);
		const injected = failures.take('metrics');
		if (injected) return sendSampleError(res, injected, injected.status === 429 ? {} : headers);
		if (!match || req.method !== 'GET' || !series.has(match[1])) return sendSampleError(res, errors.not_found, headers);
		if (!req.query.a) return sendSampleError(res, errors.bad_request, headers);
		const points = series.get(match[1])!.get(seriesKey({ a: req.query.a, i: req.query.i, e: req.query.e, c: req.query.c }));
		if (!points) return sendSampleError(res, errors.bad_request, headers);
		const since = req.query.s === undefined ? -Infinity : Number(req.query.s);
		const until = req.query.u === undefined ? Infinity : Number(req.query.u);
		if (Number.isNaN(since) || Number.isNaN(until)) return sendSampleError(res, errors.bad_request, headers);
		const selected = points.filter((point) => point.t >= since && point.t <= until);
		const body = req.query.timestamp_format === 'humanized' ? selected.map((point) => ({ ...point, t: humanize(point.t) })) : selected;
		sendJson(res, 200, body, headers);
	});

	return {
		...base,
		setSeries,
		failNext(error, times = 1) {
			if (typeof error === 'string' && !errors[error]) throw new Error(`glassnode/errors.http.json has no case "${error}"`);
			failures.add('metrics', typeof error === 'string' ? errors[error] : error, times);
		},
		keysUsed: () => keys,
		reset() {
			base.requests.length = 0;
			keys.length = 0;
			failures.clear();
			loadSamples();
		},
	};
}
