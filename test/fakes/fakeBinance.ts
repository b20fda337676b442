// Loopback fake of Binance spot public market data (developers.binance.com, REST API):
//   GET /api/v3/klines   symbol, interval, startTime, endTime, limit (default 500, max 1000),
//                        REAL candles from test/fixtures/ohlcv (see binanceCandles.ts);
//   GET /api/v3/exchangeInfo, /api/v3/time, /api/v3/ping   enough for ccxt's binance (spot).
// Klines: [openTime, "open", "high", "low", "close", "volume", closeTime = open + interval − 1,
// "quoteAssetVolume", trades, "takerBuyBase", "takerBuyQuote", "0"]; prices and volumes are strings
// with 8 decimals like Binance. The CSVs have no columns 7-10: quote volume is approximated as
// volume × (high + low + close) / 3, trades and taker volumes are 0 (documented, not invented).
// Errors come from binance/errors.http.json; `failNext('klines', 'rate_limited_429')` answers 429
// with Retry-After. Every response carries X-MBX-USED-WEIGHT-1M.
import type { ServerResponse } from 'node:http';

import { availableSymbols, closeTime, INTERVAL_MS, loadCandles, lowerBound } from './binanceCandles';
import { FailureQueue, loadErrors, OHLCV_DIR, sendJson, sendSampleError, startFakeServer, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

export type BinanceEndpoint = 'klines' | 'exchangeInfo' | 'time' | 'ping';
export type BinanceErrorName =
	| 'invalid_symbol_400'
	| 'invalid_interval_400'
	| 'bad_limit_400'
	| 'rate_limited_429'
	| 'ip_banned_418'
	| 'waf_403'
	| 'unavailable_451'
	| (string & {});

export interface FakeBinance extends FakeBase {
	/** Base URL to give clients as the spot REST root, i.e. `${url}/api/v3`. */
	apiV3: string;
	symbols: string[];
	failNext(endpoint: BinanceEndpoint | '*', error: BinanceErrorName | SampleError, opts?: { times?: number; retryAfter?: number }): void;
	/** Request weight used in the current minute (klines cost 2, exchangeInfo 20, others 1). */
	usedWeight(): number;
	reset(): void;
}

const WEIGHT: Record<BinanceEndpoint, number> = { klines: 2, exchangeInfo: 20, time: 1, ping: 1 };

/** Tick and step sizes of the real markets (as of 2025; illustrative for the exchangeInfo shape). */
const PRECISION: Record<string, [tickSize: string, stepSize: string]> = {
	BTCUSDT: ['0.01000000', '0.00001000'],
	ETHUSDT: ['0.01000000', '0.00010000'],
	BNBUSDT: ['0.01000000', '0.00100000'],
	SOLUSDT: ['0.01000000', '0.00100000'],
	AVAXUSDT: ['0.01000000', '0.01000000'],
	ARBUSDT: ['0.00010000', '0.10000000'],
	OPUSDT: ['0.00100000', '0.01000000'],
	MATICUSDT: ['0.00010000', '0.10000000'],
	POLUSDT: ['0.00010000', '0.10000000'],
};
/** MATIC/USDT stopped trading when MATIC became POL (September 2024). */
const DELISTED = new Set(['MATICUSDT']);

export function marketInfo(symbol: string) {
	const quote = ['USDT', 'USDC', 'FDUSD', 'BTC'].find((q) => symbol.endsWith(q) && symbol.length > q.length) ?? 'USDT';
	const [tickSize, stepSize] = PRECISION[symbol] ?? ['0.00010000', '0.01000000'];
	return {
		symbol,
		status: DELISTED.has(symbol) ? 'BREAK' : 'TRADING',
		baseAsset: symbol.slice(0, -quote.length),
		baseAssetPrecision: 8,
		quoteAsset: quote,
		quotePrecision: 8,
		quoteAssetPrecision: 8,
		baseCommissionPrecision: 8,
		quoteCommissionPrecision: 8,
		orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
		icebergAllowed: true,
		ocoAllowed: true,
		otoAllowed: true,
		quoteOrderQtyMarketAllowed: true,
		allowTrailingStop: true,
		cancelReplaceAllowed: true,
		amendAllowed: true,
		isSpotTradingAllowed: !DELISTED.has(symbol),
		isMarginTradingAllowed: false,
		filters: [
			{ filterType: 'PRICE_FILTER', minPrice: tickSize, maxPrice: '1000000.00000000', tickSize },
			{ filterType: 'LOT_SIZE', minQty: stepSize, maxQty: '9000.00000000', stepSize },
			{ filterType: 'ICEBERG_PARTS', limit: 10 },
			{ filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
			{ filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
			{ filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
		],
		permissions: [],
		permissionSets: [['SPOT']],
		defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
		allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
	};
}

const str8 = (x: number) => x.toFixed(8);

export async function startFakeBinance(opts: { ohlcvDir?: string } = {}): Promise<FakeBinance> {
	const dir = opts.ohlcvDir ?? OHLCV_DIR;
	const errors = loadErrors('binance');
	const symbols = availableSymbols(dir);
	const failures = new FailureQueue<BinanceEndpoint, SampleError>();
	let weight = 0;
	let weightMinute = Math.floor(Date.now() / 60_000);

	const useWeight = (w: number) => {
		const minute = Math.floor(Date.now() / 60_000);
		if (minute !== weightMinute) {
			weightMinute = minute;
			weight = 0;
		}
		weight += w;
		return { 'x-mbx-used-weight': String(weight), 'x-mbx-used-weight-1m': String(weight) };
	};

	function klines(query: Record<string, string>): { status: number; body: unknown } | SampleError {
		const symbol = (query.symbol ?? '').toUpperCase();
		if (!query.symbol) return { status: 400, body: { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." } };
		if (!symbols.includes(symbol)) return errors.invalid_symbol_400;
		if (!query.interval) return { status: 400, body: { code: -1102, msg: "Mandatory parameter 'interval' was not sent, was empty/null, or malformed." } };
		if (!(query.interval in INTERVAL_MS)) return errors.invalid_interval_400;
		for (const name of ['limit', 'startTime', 'endTime'] as const) {
			if (query[name] !== undefined && !/^[0-9]{1,20}$/.test(query[name])) {
				return name === 'limit' ? errors.bad_limit_400 : { status: 400, body: { code: -1100, msg: `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.` } };
			}
		}
		const limit = Math.min(1000, Math.max(1, query.limit === undefined ? 500 : Number(query.limit)));
		const candles = loadCandles(symbol, query.interval, dir);
		if (!candles) return { status: 200, body: [] };
		const start = query.startTime === undefined ? undefined : Number(query.startTime);
		const end = query.endTime === undefined ? undefined : Number(query.endTime);
		if (start !== undefined && end !== undefined && start > end) {
			return { status: 400, body: { code: -1023, msg: 'Start time is greater than end time.' } };
		}
		let from: number;
		let to: number; // exclusive
		if (start !== undefined) {
			from = lowerBound(candles.time, start);
			to = Math.min(from + limit, end === undefined ? candles.length : lowerBound(candles.time, end + 1));
		} else {
			to = end === undefined ? candles.length : lowerBound(candles.time, end + 1);
			from = Math.max(0, to - limit);
		}
		const rows = [];
		for (let i = from; i < to; i++) {
			const t = candles.time[i];
			const typical = (candles.high[i] + candles.low[i] + candles.close[i]) / 3;
			rows.push([
				t,
				str8(candles.open[i]),
				str8(candles.high[i]),
				str8(candles.low[i]),
				str8(candles.close[i]),
				str8(candles.volume[i]),
				closeTime(t, query.interval),
				str8(candles.volume[i] * typical),
				0,
				str8(0),
				str8(0),
				'0',
			]);
		}
		return { status: 200, body: rows };
	}

	const base = await startFakeServer((req: FakeRequest, res: ServerResponse) => {
		const endpoint = ({ '/api/v3/klines': 'klines', '/api/v3/exchangeInfo': 'exchangeInfo', '/api/v3/time': 'time', '/api/v3/ping': 'ping' } as const)[
			req.path as '/api/v3/klines'
		] as BinanceEndpoint | undefined;
		if (!endpoint || req.method !== 'GET') {
			sendJson(res, 404, { code: -1000, msg: 'An unknown error occurred while processing the request.' }, useWeight(1));
			return;
		}
		const headers = useWeight(WEIGHT[endpoint]);
		const injected = failures.take(endpoint);
		if (injected) {
			sendSampleError(res, injected, { 'x-mbx-used-weight-1m': headers['x-mbx-used-weight-1m'] });
			return;
		}
		let answer: { status: number; body: unknown; headers?: Record<string, string> };
		if (endpoint === 'klines') answer = klines(req.query);
		else if (endpoint === 'time') answer = { status: 200, body: { serverTime: Date.now() } };
		else if (endpoint === 'ping') answer = { status: 200, body: {} };
		else {
			const wanted = req.query.symbol ? [req.query.symbol] : req.query.symbols ? (JSON.parse(req.query.symbols) as string[]) : symbols;
			const unknown = wanted.find((symbol) => !symbols.includes(symbol));
			answer = unknown
				? errors.invalid_symbol_400
				: {
						status: 200,
						body: {
							timezone: 'UTC',
							serverTime: Date.now(),
							rateLimits: [
								{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
								{ rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
								{ rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
								{ rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
							],
							exchangeFilters: [],
							symbols: wanted.map(marketInfo),
						},
					};
		}
		if (answer.status === 200) sendJson(res, 200, answer.body, { 'content-type': 'application/json;charset=UTF-8', ...headers });
		else sendSampleError(res, answer as SampleError, { 'x-mbx-used-weight-1m': headers['x-mbx-used-weight-1m'] });
	});

	return {
		...base,
		apiV3: `${base.url}/api/v3`,
		symbols,
		failNext(endpoint, error, { times = 1, retryAfter } = {}) {
			let sample: SampleError;
			if (typeof error === 'string') {
				if (!errors[error]) throw new Error(`binance/errors.http.json has no case "${error}" (has ${Object.keys(errors).join(', ')})`);
				sample = structuredClone(errors[error]);
			} else sample = structuredClone(error);
			if (retryAfter !== undefined) sample.headers = { ...(sample.headers ?? {}), 'retry-after': String(retryAfter) };
			failures.add(endpoint, sample, times);
		},
		usedWeight: () => weight,
		reset() {
			base.requests.length = 0;
			failures.clear();
			weight = 0;
		},
	};
}
