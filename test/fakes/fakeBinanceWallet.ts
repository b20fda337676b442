// Loopback fake of Binance's signed wallet endpoints, as ccxt's binance calls them for a sweep
// (developers.binance.com; samples and provenance in test/fixtures/api-samples/binance-wallet):
//   GET  /api/v3/exchangeInfo                 public: a few spot markets (ccxt loads markets first)
//   GET  /api/v3/time                         public
//   GET  /api/v3/account                      SIGNED: spot balances (what ccxt's fetchBalance reads)
//   GET  /sapi/v1/capital/config/getall       SIGNED: coins and networks (ccxt's fetchCurrencies)
//   POST /sapi/v1/capital/withdraw/apply      SIGNED: coin, address, amount, network? → {id}
//   GET  /sapi/v1/capital/withdraw/history    SIGNED: coin?, startTime?, endTime?, limit?, offset?
// Every SIGNED request is checked the way Binance documents it: the `X-MBX-APIKEY` header names the
// key (-2014 when absent, -2015 when unknown), `signature` is the hex HMAC-SHA256 of totalParams
// (query string + request body, the signature parameter removed) under the key's secret (-1022),
// `timestamp` lies within `recvWindow` (default 5,000 ms) and at most 1,000 ms ahead (-1021).
// A withdrawal checks the coin and network (withdrawEnable, withdrawMin, the network's addressRegex
// → -4007), the free spot balance (-4026), debits it at once and appears in the history as
// "processing" (status 4) with the UTC apply time. Balances and history are set by the test.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { loadErrors, loadSample, sendJson, sendSampleError, startFakeServer, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

const PROVIDER = 'binance-wallet';

export interface FakeWithdrawal {
	id: string;
	amount: string;
	transactionFee: string;
	coin: string;
	status: number;
	address: string;
	txId: string;
	applyTime: string;
	network: string;
	transferType: number;
	info: string;
	confirmNo: number;
	walletType: number;
	txKey: string;
	completeTime?: string;
}

export interface FakeBinanceWallet extends FakeBase {
	/** Spot REST root to give ccxt as urls.api.public/private: `${url}/api/v3`. */
	apiV3: string;
	/** Wallet REST root to give ccxt as urls.api.sapi: `${url}/sapi/v1`. */
	sapiV1: string;
	apiKey: string;
	secret: string;
	/** Sets a free spot balance (decimal string, e.g. '1234.5'). */
	setBalance(asset: string, free: string, locked?: string): void;
	balance(asset: string): { free: number; locked: number };
	/** Adds a past withdrawal to the history (e.g. one earlier today). */
	addWithdrawal(w: Partial<FakeWithdrawal> & { coin: string; amount: string; applyTimeMs: number }): FakeWithdrawal;
	withdrawals: FakeWithdrawal[];
	/** Accepted withdraw/apply requests, with their parameters as Binance received them. */
	applied: Record<string, string>[];
	/** Fail the next calls of a path (e.g. '/sapi/v1/capital/withdraw/apply') with a sample error. */
	failNext(path: string, error: string | SampleError): void;
	/** Every signed request that failed the signature, key or timestamp check, and why. */
	rejected: { path: string; code: number }[];
}

/** Binance's `applyTime` format: UTC `YYYY-MM-DD HH:mm:ss`. */
export const binanceUtcTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** totalParams without the `signature` parameter, and the signature sent. */
export function signedPayload(rawQuery: string, rawBody: string): { payload: string; signature: string | null } {
	let signature: string | null = null;
	const strip = (part: string) =>
		part
			.split('&')
			.filter((pair) => {
				if (pair.startsWith('signature=')) {
					signature = decodeURIComponent(pair.slice('signature='.length));
					return false;
				}
				return pair !== '';
			})
			.join('&');
	return { payload: strip(rawQuery) + strip(rawBody), signature };
}

const decimals = (text: string) => (text.includes('.') ? text.split('.')[1]!.replace(/0+$/, '').length : 0);

export async function startFakeBinanceWallet(opts: { apiKey?: string; secret?: string } = {}): Promise<FakeBinanceWallet> {
	const apiKey = opts.apiKey ?? `fakekey${randomBytes(28).toString('hex')}`;
	const secret = opts.secret ?? `fakesecret${randomBytes(27).toString('hex')}`;
	const errors = loadErrors(PROVIDER);
	const accountSample = loadSample<Record<string, unknown>>(PROVIDER, 'account.json');
	const coins = loadSample<{ coin: string; networkList: Record<string, unknown>[] }[]>(PROVIDER, 'capital_config_getall.json');
	const applySample = loadSample<{ id: string }>(PROVIDER, 'capital_withdraw_apply.json');
	const historySample = loadSample<FakeWithdrawal[]>(PROVIDER, 'capital_withdraw_history.json')[0]!;
	const balances = new Map<string, { free: number; locked: number }>();
	const withdrawals: FakeWithdrawal[] = [];
	const applied: Record<string, string>[] = [];
	const rejected: { path: string; code: number }[] = [];
	const failures = new Map<string, SampleError[]>();
	let seq = 0;

	const newId = () => `${applySample.id.slice(0, 20)}${String(++seq).padStart(12, '0')}`;

	/** Checks key, signature and timestamp; returns the parameters or the documented error. */
	function authenticate(req: FakeRequest): { params: Record<string, string> } | { error: SampleError } {
		const key = req.headers['x-mbx-apikey'];
		const fail = (name: string) => {
			rejected.push({ path: req.path, code: (errors[name]!.body as { code: number }).code });
			return { error: errors[name]! };
		};
		if (typeof key !== 'string' || key === '') return fail('api_key_format_invalid_401');
		if (key !== apiKey) return fail('invalid_api_key_401');
		const rawBody = req.rawBody.toString('utf8');
		const { payload, signature } = signedPayload(req.rawQuery, rawBody);
		const expected = createHmac('sha256', secret).update(payload).digest('hex');
		if (signature === null || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return fail('invalid_signature_400');
		const params = Object.fromEntries([...new URLSearchParams(req.rawQuery), ...new URLSearchParams(rawBody)].filter(([k]) => k !== 'signature'));
		const timestamp = Number(params.timestamp);
		const recvWindow = params.recvWindow === undefined ? 5_000 : Math.min(60_000, Number(params.recvWindow));
		const now = Date.now();
		if (!Number.isFinite(timestamp) || timestamp > now + 1_000 || now - timestamp > recvWindow) return fail('timestamp_outside_recv_window_400');
		return { params };
	}

	const mandatory = (name: string): SampleError => ({ status: 400, body: { code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` } });

	function withdraw(p: Record<string, string>): { status: number; body: unknown } | SampleError {
		for (const name of ['coin', 'address', 'amount']) if (!p[name]) return mandatory(name);
		const coin = coins.find((c) => c.coin === p.coin);
		if (!coin) return errors.address_validation_400!;
		const network = p.network ? coin.networkList.find((n) => n.network === p.network) : coin.networkList.find((n) => n.isDefault === true);
		if (!network || network.withdrawEnable !== true) return { status: 400, body: { code: -4019, msg: 'Current asset is not open for withdrawal.' } };
		if (!new RegExp(String(network.addressRegex)).test(p.address!)) return errors.address_validation_400!;
		const amount = Number(p.amount);
		if (!/^\d+(\.\d+)?$/.test(p.amount!) || decimals(p.amount!) > decimals(String(network.withdrawIntegerMultiple))) return { status: 400, body: { code: -1111, msg: 'Precision is over the maximum defined for this asset.' } };
		if (amount < Number(network.withdrawMin)) return { status: 400, body: { code: -4022, msg: `The withdrawal amount must be at least ${network.withdrawMin}.` } };
		if (amount <= Number(network.withdrawFee)) return errors.amount_below_commission_400!;
		const balance = balances.get(p.coin!) ?? { free: 0, locked: 0 };
		if (amount > balance.free + 1e-12) return errors.insufficient_balance_400!;
		balance.free -= amount;
		balances.set(p.coin!, balance);
		applied.push(p);
		const w: FakeWithdrawal = {
			...historySample,
			id: newId(),
			amount: p.amount!,
			transactionFee: String(network.withdrawFee),
			coin: p.coin!,
			status: 4,
			address: p.address!,
			txId: '',
			applyTime: binanceUtcTime(Date.now()),
			network: String(network.network),
			info: '',
			walletType: Number(p.walletType ?? 0),
		};
		delete w.completeTime;
		delete (w as Partial<FakeWithdrawal> & { withdrawOrderId?: string }).withdrawOrderId;
		withdrawals.push(w);
		return { status: 200, body: { id: w.id } };
	}

	function history(p: Record<string, string>): { status: number; body: unknown } {
		const now = Date.now();
		const start = p.startTime === undefined ? now - 90 * 86_400_000 : Number(p.startTime);
		const end = p.endTime === undefined ? now : Number(p.endTime);
		const rows = withdrawals
			.filter((w) => (p.coin === undefined || w.coin === p.coin) && (p.status === undefined || String(w.status) === p.status))
			.filter((w) => {
				const t = Date.parse(`${w.applyTime.replace(' ', 'T')}Z`);
				return t >= start && t <= end;
			})
			.sort((a, b) => b.applyTime.localeCompare(a.applyTime));
		const offset = Number(p.offset ?? 0);
		const limit = Math.min(1000, Number(p.limit ?? 1000));
		return { status: 200, body: rows.slice(offset, offset + limit) };
	}

	const base = await startFakeServer((req: FakeRequest, res: ServerResponse) => {
		const injected = failures.get(req.path)?.shift();
		if (injected) return sendSampleError(res, injected);
		const route = `${req.method} ${req.path}`;
		if (route === 'GET /api/v3/time') return sendJson(res, 200, { serverTime: Date.now() });
		if (route === 'GET /api/v3/exchangeInfo') {
			const symbols = ['BTCUSDT', 'ETHUSDT'].map((symbol) => ({
				symbol,
				status: 'TRADING',
				baseAsset: symbol.slice(0, -4),
				baseAssetPrecision: 8,
				quoteAsset: 'USDT',
				quotePrecision: 8,
				quoteAssetPrecision: 8,
				orderTypes: ['LIMIT', 'MARKET'],
				isSpotTradingAllowed: true,
				isMarginTradingAllowed: false,
				filters: [
					{ filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
					{ filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
				],
				permissions: [],
				permissionSets: [['SPOT']],
			}));
			return sendJson(res, 200, { timezone: 'UTC', serverTime: Date.now(), rateLimits: [], exchangeFilters: [], symbols });
		}
		const signed = ['GET /api/v3/account', 'GET /sapi/v1/capital/config/getall', 'POST /sapi/v1/capital/withdraw/apply', 'GET /sapi/v1/capital/withdraw/history'];
		if (!signed.includes(route)) return sendJson(res, 404, { code: -1000, msg: `fake Binance wallet does not serve ${route}` });
		const auth = authenticate(req);
		if ('error' in auth) return sendSampleError(res, auth.error);
		let answer: { status: number; body: unknown } | SampleError;
		if (route === 'GET /api/v3/account') {
			answer = {
				status: 200,
				body: { ...accountSample, updateTime: Date.now(), balances: [...balances].map(([asset, b]) => ({ asset, free: b.free.toFixed(8), locked: b.locked.toFixed(8) })) },
			};
		} else if (route === 'GET /sapi/v1/capital/config/getall') {
			answer = { status: 200, body: coins.map((c) => ({ ...c, free: (balances.get(c.coin)?.free ?? 0).toFixed(8), locked: (balances.get(c.coin)?.locked ?? 0).toFixed(8) })) };
		} else if (route === 'POST /sapi/v1/capital/withdraw/apply') answer = withdraw(auth.params);
		else answer = history(auth.params);
		if (answer.status === 200) sendJson(res, 200, answer.body, { 'content-type': 'application/json;charset=UTF-8' });
		else sendSampleError(res, answer as SampleError);
	});

	return {
		...base,
		apiV3: `${base.url}/api/v3`,
		sapiV1: `${base.url}/sapi/v1`,
		apiKey,
		secret,
		setBalance(asset, free, locked = '0') {
			balances.set(asset, { free: Number(free), locked: Number(locked) });
		},
		balance: (asset) => balances.get(asset) ?? { free: 0, locked: 0 },
		addWithdrawal(w) {
			const row: FakeWithdrawal = {
				...historySample,
				id: newId(),
				transactionFee: '1',
				status: 6,
				address: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
				txId: randomBytes(32).toString('hex'),
				network: 'TRX',
				info: '',
				...w,
				applyTime: binanceUtcTime(w.applyTimeMs),
			};
			delete (row as Partial<FakeWithdrawal> & { applyTimeMs?: number }).applyTimeMs;
			withdrawals.push(row);
			return row;
		},
		withdrawals,
		applied,
		rejected,
		failNext(path, error) {
			const sample = typeof error === 'string' ? errors[error] : error;
			if (!sample) throw new Error(`binance-wallet/errors.http.json has no case "${String(error)}"`);
			failures.set(path, [...(failures.get(path) ?? []), structuredClone(sample)]);
		},
	};
}
