// Loopback fake of Bybit's v5 public market data (bybit-exchange.github.io/docs/v5/market/kline):
//   GET /v5/market/kline  category=spot, symbol, interval (1 3 5 15 30 60 120 240 360 720 D W M),
//                         start, end (ms, inclusive), limit [1, 1000] default 200;
//                         result.list NEWEST FIRST: [startTime, open, high, low, close, volume, turnover],
//                         all strings. Bybit does not document which end of a [start, end] window wider
//                         than `limit` it keeps; this fake keeps the newest `limit` bars (counting back
//                         from `end`, default now), so a client that sends `start` alone sees the newest
//                         page, not the bars after `start`.
//   GET /v5/market/instruments-info?category=spot   the spot markets ccxt's bybit loadMarkets reads.
//   GET /v5/market/time   server time (ccxt calls it only with adjustForTimeDifference).
// Those are the only endpoints ccxt's bybit (4.5) calls for loadMarkets + fetchOHLCV with
// fetchMarkets.types = ['spot'] and no API key (fetchCurrencies needs one and is skipped).
// The candles are the REAL Binance spot candles of binanceCandles.ts (same source as the Binance
// fake), served in Bybit's shape; turnover (quote volume) is approximated as volume × (high + low +
// close) / 3, as the Binance fake does. Errors follow Bybit's docs: HTTP 200 with retCode ≠ 0
// (10001 parameter error, 10006 too many visits with X-Bapi-Limit-Reset-Timestamp), and HTTP 403
// "access too frequent" (IP rate limit) as plain text.
import type { ServerResponse } from 'node:http';

import { availableSymbols, loadCandles, lowerBound } from './binanceCandles';
import { FailureQueue, OHLCV_DIR, sendJson, sendSampleError, startFakeServer, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

export type BybitEndpoint = 'kline' | 'instruments' | 'time';
export type BybitErrorName = 'rate_limit_10006' | 'ip_rate_limit_403';

export interface FakeBybit extends FakeBase {
	/** `url` is the origin to give ccxt (BYBIT_BASE_URL); symbols are the pairs with candle files. */
	symbols: string[];
	failNext(endpoint: BybitEndpoint | '*', error: BybitErrorName | SampleError, opts?: { times?: number; resetInMs?: number }): void;
	reset(): void;
}

/** Bybit v5 kline interval → the Binance interval of the same bucket (weeks start Monday 00:00 UTC on both). */
export const BYBIT_INTERVALS: Record<string, string> = {
	'1': '1m',
	'3': '3m',
	'5': '5m',
	'15': '15m',
	'30': '30m',
	'60': '1h',
	'120': '2h',
	'240': '4h',
	'360': '6h',
	'720': '12h',
	D: '1d',
	W: '1w',
	M: '1M',
};

const envelope = (result: unknown, retCode = 0, retMsg = 'OK') => ({ retCode, retMsg, result, retExtInfo: {}, time: Date.now() });
const paramError = (msg: string) => ({ status: 200, body: envelope({}, 10001, msg) });
const num = (x: number) => String(Number(x.toFixed(8)));

function instrument(symbol: string) {
	const quote = ['USDT', 'USDC', 'BTC'].find((q) => symbol.endsWith(q) && symbol.length > q.length) ?? 'USDT';
	return {
		symbol,
		baseCoin: symbol.slice(0, -quote.length),
		quoteCoin: quote,
		innovation: '0',
		status: symbol === 'MATICUSDT' ? 'Closed' : 'Trading',
		marginTrading: 'both',
		stTag: '0',
		lotSizeFilter: { basePrecision: '0.000001', quotePrecision: '0.00000001', minOrderQty: '0.000048', maxOrderQty: '71.73956243', minOrderAmt: '1', maxOrderAmt: '2000000' },
		priceFilter: { tickSize: '0.01' },
		riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
	};
}

export async function startFakeBybit(opts: { ohlcvDir?: string } = {}): Promise<FakeBybit> {
	const dir = opts.ohlcvDir ?? OHLCV_DIR;
	const symbols = availableSymbols(dir);
	const failures = new FailureQueue<BybitEndpoint, SampleError>();

	function kline(query: Record<string, string>): { status: number; body: unknown } {
		if (query.category !== 'spot') return paramError('category only support spot in this fake');
		const symbol = (query.symbol ?? '').toUpperCase();
		if (!symbols.includes(symbol)) return paramError('Not supported symbols');
		const interval = BYBIT_INTERVALS[query.interval ?? ''];
		if (!interval) return paramError('Invalid period!');
		for (const name of ['start', 'end', 'limit'] as const) {
			if (query[name] !== undefined && !/^[0-9]{1,16}$/.test(query[name])) return paramError(`params error: ${name} invalid`);
		}
		const limit = query.limit === undefined ? 200 : Number(query.limit);
		if (limit < 1 || limit > 1000) return paramError('params error: limit must be in [1, 1000]');
		const candles = loadCandles(symbol, interval, dir);
		const list: string[][] = [];
		if (candles) {
			const start = query.start === undefined ? 0 : Number(query.start);
			const end = query.end === undefined ? Date.now() : Number(query.end);
			const from = lowerBound(candles.time, start);
			const to = lowerBound(candles.time, end + 1); // exclusive
			for (let i = to - 1; i >= Math.max(from, to - limit); i--) {
				const typical = (candles.high[i] + candles.low[i] + candles.close[i]) / 3;
				list.push([String(candles.time[i]), num(candles.open[i]), num(candles.high[i]), num(candles.low[i]), num(candles.close[i]), num(candles.volume[i]), num(candles.volume[i] * typical)]);
			}
		}
		return { status: 200, body: envelope({ category: 'spot', symbol, list }) };
	}

	const base = await startFakeServer((req: FakeRequest, res: ServerResponse) => {
		const endpoint = ({ '/v5/market/kline': 'kline', '/v5/market/instruments-info': 'instruments', '/v5/market/time': 'time' } as const)[req.path as '/v5/market/kline'] as
			| BybitEndpoint
			| undefined;
		if (!endpoint || req.method !== 'GET') {
			sendJson(res, 404, { retCode: 10404, retMsg: 'Not Found' });
			return;
		}
		const injected = failures.take(endpoint);
		if (injected) {
			sendSampleError(res, injected);
			return;
		}
		let answer: { status: number; body: unknown };
		if (endpoint === 'kline') answer = kline(req.query);
		else if (endpoint === 'time') {
			const now = Date.now();
			answer = { status: 200, body: envelope({ timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` }) };
		} else if (req.query.category !== 'spot') answer = paramError('category only support spot in this fake');
		else {
			const wanted = req.query.symbol ? [req.query.symbol.toUpperCase()].filter((s) => symbols.includes(s)) : symbols;
			answer = { status: 200, body: envelope({ category: 'spot', list: wanted.map(instrument) }) };
		}
		sendJson(res, answer.status, answer.body, { 'x-bapi-limit': '600', 'x-bapi-limit-status': '599', 'x-bapi-limit-reset-timestamp': String(Date.now()) });
	});

	return {
		...base,
		symbols,
		failNext(endpoint, error, { times = 1, resetInMs = 1_000 } = {}) {
			let sample: SampleError;
			if (error === 'rate_limit_10006') {
				sample = {
					status: 200,
					headers: { 'x-bapi-limit': '600', 'x-bapi-limit-status': '0', 'x-bapi-limit-reset-timestamp': String(Date.now() + resetInMs) },
					body: envelope({}, 10006, 'Too many visits!'),
				};
			} else if (error === 'ip_rate_limit_403') {
				sample = { status: 403, body: 'access too frequent' };
			} else sample = structuredClone(error);
			failures.add(endpoint, sample, times);
		},
		reset() {
			base.requests.length = 0;
			failures.clear();
		},
	};
}
