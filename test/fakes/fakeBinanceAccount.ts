// Loopback fake of a Binance SPOT ACCOUNT: the signed (TRADE / USER_DATA) REST endpoints the LIVE
// executor uses through the real ccxt, plus the public ones ccxt needs to load markets.
//   public: GET /api/v3/time, /api/v3/ping, /api/v3/exchangeInfo (filters as fakeBinance: PRICE_FILTER,
//           LOT_SIZE, NOTIONAL min 5 USDT)
//   signed: GET /api/v3/account, POST|GET|DELETE /api/v3/order, GET /api/v3/openOrders,
//           GET /api/v3/allOrders, GET /api/v3/myTrades, POST /api/v3/orderList/oco,
//           GET|DELETE /api/v3/orderList
// Signing is verified as Binance documents it (SIGNED endpoint security): `X-MBX-APIKEY` must be the
// account's key (else 401 -2015); `signature` must be the hex HMAC-SHA256, keyed with the secret, of
// the total parameters = query string + request body with the signature parameter removed (else
// -1022); `timestamp` within `recvWindow` (default 5000 ms) of the server clock (else -1021).
// Shapes and errors: test/fixtures/api-samples/binance-spot-account (provenance there).
// Matching: a MARKET order fills at once at the symbol's price (`setPrice`); buys pay the 0.1 %
// commission in the base asset, sells in the quote asset (Binance's rule without BNB). A client
// order id that is already on an OPEN order is refused "Duplicate order sent." (Binance lets a
// finished order's id be reused: the caller must not rely on the exchange to de-duplicate).
// An OCO (SELL: LIMIT_MAKER above, STOP_LOSS_LIMIT below) locks the base; `setPrice` crossing a leg
// fills it at its price and expires the other.
// Test controls: `holdOrders()` applies the next POST /order but never answers it (the caller can be
// killed "after the exchange received the order but before the result is stored"); `nextFillRatio`
// makes the next market order fill only partly (status EXPIRED, as Binance does when liquidity runs out).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { marketInfo } from './fakeBinance';
import { loadErrors, loadSample, sendJson, sendSampleError, startFakeServer, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

const PROVIDER = 'binance-spot-account';
const COMMISSION = 0.001;

export interface FakeOrder {
	symbol: string;
	orderId: number;
	orderListId: number;
	clientOrderId: string;
	price: number;
	origQty: number;
	executedQty: number;
	cummulativeQuoteQty: number;
	status: 'NEW' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'PARTIALLY_FILLED';
	timeInForce: string;
	type: string;
	side: 'BUY' | 'SELL';
	stopPrice: number;
	time: number;
	updateTime: number;
}

export interface FakeTrade {
	symbol: string;
	id: number;
	orderId: number;
	orderListId: number;
	price: number;
	qty: number;
	commission: number;
	commissionAsset: string;
	time: number;
	isBuyer: boolean;
}

interface FakeOrderList {
	orderListId: number;
	listClientOrderId: string;
	symbol: string;
	orderIds: [number, number];
	transactionTime: number;
}

export interface FakeBinanceAccount extends FakeBase {
	/** The REST origin to give ccxt (`HFQ_LIVE_BASE_URL`). */
	origin: string;
	apiKey: string;
	apiSecret: string;
	orders: FakeOrder[];
	trades: FakeTrade[];
	/** Orders accepted by POST /api/v3/order (entries and market exits; OCO legs are not counted). */
	placedOrders(): FakeOrder[];
	/** Requests whose signature, key or timestamp was refused. */
	refused: { path: string; code: number }[];
	balance(asset: string): { free: number; locked: number };
	setBalance(asset: string, free: number): void;
	/** Sets the last price; crossing an OCO leg fills it. */
	setPrice(symbol: string, price: number): void;
	/** Applies the next `count` POST /order requests but never answers them (until `release()`). */
	holdOrders(count?: number): void;
	release(): void;
	/** Requests held right now. */
	held(): number;
	nextFillRatio: number | null;
	failNext(error: keyof ReturnType<typeof loadErrors> | SampleError): void;
}

const s8 = (x: number) => x.toFixed(8);

export async function startFakeBinanceAccount(
	opts: { apiKey?: string; apiSecret?: string; symbols?: string[]; prices?: Record<string, number>; balances?: Record<string, number>; recvWindowCheck?: boolean } = {},
): Promise<FakeBinanceAccount> {
	const apiKey = opts.apiKey ?? 'fake-binance-api-key-0123456789';
	const apiSecret = opts.apiSecret ?? 'fake-binance-api-secret-0123456789';
	const symbols = opts.symbols ?? ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'AVAXUSDT'];
	const prices = new Map(Object.entries(opts.prices ?? { BTCUSDT: 64_000, ETHUSDT: 2_000, SOLUSDT: 100, AVAXUSDT: 30 }));
	const balances = new Map<string, { free: number; locked: number }>(Object.entries(opts.balances ?? { USDT: 10_000 }).map(([a, v]) => [a, { free: v, locked: 0 }]));
	const errors = loadErrors(PROVIDER);
	const orders: FakeOrder[] = [];
	const trades: FakeTrade[] = [];
	const lists: FakeOrderList[] = [];
	const placed: FakeOrder[] = [];
	const refused: { path: string; code: number }[] = [];
	const holds: ServerResponse[] = [];
	let holdCount = 0;
	let nextFillRatio: number | null = null;
	let nextId = 1000;
	const injected: SampleError[] = [];
	const orderTemplate = loadSample<Record<string, unknown>>(PROVIDER, 'order_query.json');

	const bal = (asset: string) => {
		let b = balances.get(asset);
		if (!b) balances.set(asset, (b = { free: 0, locked: 0 }));
		return b;
	};
	const infoOf = (symbol: string) => marketInfo(symbol);
	const assetsOf = (symbol: string) => {
		const m = infoOf(symbol);
		return { base: m.baseAsset, quote: m.quoteAsset };
	};
	const filter = (symbol: string, type: string) => (infoOf(symbol).filters as Record<string, unknown>[]).find((f) => f.filterType === type)!;

	function orderJson(o: FakeOrder) {
		return {
			...orderTemplate,
			symbol: o.symbol,
			orderId: o.orderId,
			orderListId: o.orderListId,
			clientOrderId: o.clientOrderId,
			price: s8(o.price),
			origQty: s8(o.origQty),
			executedQty: s8(o.executedQty),
			cummulativeQuoteQty: s8(o.cummulativeQuoteQty),
			status: o.status,
			timeInForce: o.timeInForce,
			type: o.type,
			side: o.side,
			stopPrice: s8(o.stopPrice),
			icebergQty: s8(0),
			time: o.time,
			updateTime: o.updateTime,
			isWorking: o.status === 'NEW' || o.status === 'PARTIALLY_FILLED',
			workingTime: o.time,
			origQuoteOrderQty: s8(0),
		};
	}

	/** Fills `qty` of `o` at `price`: balances, trade, order fields. */
	function fill(o: FakeOrder, qty: number, price: number, fromLocked: boolean) {
		const { base, quote } = assetsOf(o.symbol);
		const cost = qty * price;
		const now = Date.now();
		let commission: number;
		let commissionAsset: string;
		if (o.side === 'BUY') {
			const q = bal(quote);
			if (fromLocked) q.locked -= cost;
			else q.free -= cost;
			commission = qty * COMMISSION;
			commissionAsset = base;
			bal(base).free += qty - commission;
		} else {
			const b = bal(base);
			if (fromLocked) b.locked -= qty;
			else b.free -= qty;
			commission = cost * COMMISSION;
			commissionAsset = quote;
			bal(quote).free += cost - commission;
		}
		o.executedQty += qty;
		o.cummulativeQuoteQty += cost;
		o.updateTime = now;
		const trade: FakeTrade = { symbol: o.symbol, id: nextId++, orderId: o.orderId, orderListId: o.orderListId, price, qty, commission, commissionAsset, time: now, isBuyer: o.side === 'BUY' };
		trades.push(trade);
		return trade;
	}

	const fail = (e: SampleError) => ({ error: e });
	type Answer = { body: unknown } | { error: SampleError };

	function newOrder(p: Record<string, string>): Answer {
		const symbol = p.symbol;
		if (!symbol || !symbols.includes(symbol)) return fail(errors.mandatory_parameter_400!);
		const side = p.side as 'BUY' | 'SELL';
		const type = p.type;
		const qty = Number(p.quantity);
		if (!(qty > 0)) return fail({ status: 400, body: { code: -1102, msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed." } });
		const lot = filter(symbol, 'LOT_SIZE');
		const step = Number(lot.stepSize);
		if (qty < Number(lot.minQty) || Math.abs(qty / step - Math.round(qty / step)) > 1e-6) return fail(errors.filter_lot_size_400!);
		const market = prices.get(symbol) ?? 0;
		const price = type === 'MARKET' ? market : Number(p.price);
		if (qty * price < Number(filter(symbol, 'NOTIONAL').minNotional)) return fail(errors.filter_notional_400!);
		const clientOrderId = p.newClientOrderId ?? `fake${nextId}`;
		if (orders.some((o) => o.clientOrderId === clientOrderId && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'))) return fail(errors.duplicate_order_400!);
		const { base, quote } = assetsOf(symbol);
		if (side === 'BUY' && bal(quote).free < qty * price - 1e-9) return fail(errors.insufficient_balance_400!);
		if (side === 'SELL' && bal(base).free < qty - 1e-12) return fail(errors.insufficient_balance_400!);
		const now = Date.now();
		const o: FakeOrder = { symbol, orderId: nextId++, orderListId: -1, clientOrderId, price: type === 'MARKET' ? 0 : price, origQty: qty, executedQty: 0, cummulativeQuoteQty: 0, status: 'NEW', timeInForce: p.timeInForce ?? 'GTC', type, side, stopPrice: 0, time: now, updateTime: now };
		orders.push(o);
		placed.push(o);
		const fills: FakeTrade[] = [];
		if (type === 'MARKET') {
			const ratio = nextFillRatio;
			nextFillRatio = null;
			const step8 = (x: number) => Math.floor(x / step + 1e-9) * step;
			const qtyFilled = ratio === null ? qty : step8(qty * ratio);
			if (qtyFilled > 0) fills.push(fill(o, qtyFilled, market, false));
			o.status = qtyFilled >= qty - 1e-12 ? 'FILLED' : 'EXPIRED';
		} else {
			// A resting limit order locks what it may spend.
			if (side === 'BUY') {
				bal(quote).free -= qty * price;
				bal(quote).locked += qty * price;
			} else {
				bal(base).free -= qty;
				bal(base).locked += qty;
			}
		}
		return {
			body: {
				...orderJson(o),
				transactTime: o.time,
				fills: fills.map((t) => ({ price: s8(t.price), qty: s8(t.qty), commission: s8(t.commission), commissionAsset: t.commissionAsset, tradeId: t.id })),
			},
		};
	}

	const findOrder = (p: Record<string, string>) =>
		orders.find((o) => o.symbol === p.symbol && (p.orderId !== undefined ? o.orderId === Number(p.orderId) : o.clientOrderId === p.origClientOrderId));

	function listJson(l: FakeOrderList, reports: boolean) {
		const legs = l.orderIds.map((id) => orders.find((o) => o.orderId === id)!);
		const done = legs.some((o) => o.status === 'FILLED' || o.status === 'CANCELED' || o.status === 'EXPIRED');
		return {
			orderListId: l.orderListId,
			contingencyType: 'OCO',
			listStatusType: done ? 'ALL_DONE' : 'EXEC_STARTED',
			listOrderStatus: done ? 'ALL_DONE' : 'EXECUTING',
			listClientOrderId: l.listClientOrderId,
			transactionTime: l.transactionTime,
			symbol: l.symbol,
			orders: legs.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
			...(reports ? { orderReports: legs.map((o) => ({ ...orderJson(o), transactTime: l.transactionTime })) } : {}),
		};
	}

	function newOco(p: Record<string, string>): Answer {
		const symbol = p.symbol;
		if (!symbol || !symbols.includes(symbol)) return fail(errors.mandatory_parameter_400!);
		if (p.side !== 'SELL' || p.aboveType !== 'LIMIT_MAKER' || !['STOP_LOSS', 'STOP_LOSS_LIMIT'].includes(p.belowType ?? '')) {
			return fail({ status: 400, body: { code: -1102, msg: 'This fake supports SELL OCOs: aboveType LIMIT_MAKER, belowType STOP_LOSS(_LIMIT).' } });
		}
		const qty = Number(p.quantity);
		const above = Number(p.abovePrice);
		const stop = Number(p.belowStopPrice);
		const belowPrice = p.belowPrice === undefined ? stop : Number(p.belowPrice);
		const market = prices.get(symbol) ?? 0;
		if (!(above > market && market > stop)) return fail({ status: 400, body: { code: -2010, msg: 'The relationship of the prices for the orders is not correct.' } });
		const { base } = assetsOf(symbol);
		if (bal(base).free < qty - 1e-12) return fail(errors.insufficient_balance_400!);
		bal(base).free -= qty;
		bal(base).locked += qty;
		const now = Date.now();
		const listId = nextId++;
		const leg = (type: string, price: number, stopPrice: number, cid: string | undefined): FakeOrder => {
			const o: FakeOrder = { symbol, orderId: nextId++, orderListId: listId, clientOrderId: cid ?? `fakeleg${nextId}`, price, origQty: qty, executedQty: 0, cummulativeQuoteQty: 0, status: 'NEW', timeInForce: 'GTC', type, side: 'SELL', stopPrice, time: now, updateTime: now };
			orders.push(o);
			return o;
		};
		const below = leg(p.belowType!, belowPrice, stop, p.belowClientOrderId);
		const aboveLeg = leg('LIMIT_MAKER', above, 0, p.aboveClientOrderId);
		const list: FakeOrderList = { orderListId: listId, listClientOrderId: p.listClientOrderId ?? `fakelist${listId}`, symbol, orderIds: [below.orderId, aboveLeg.orderId], transactionTime: now };
		lists.push(list);
		return { body: listJson(list, true) };
	}

	function cancelList(l: FakeOrderList) {
		const { base } = assetsOf(l.symbol);
		const legs = l.orderIds.map((id) => orders.find((x) => x.orderId === id)!);
		if (legs.every((o) => o.status === 'NEW')) {
			// Both legs share one lock of the base quantity.
			bal(base).locked -= legs[0]!.origQty;
			bal(base).free += legs[0]!.origQty;
		}
		for (const o of legs) {
			if (o.status === 'NEW') {
				o.status = 'CANCELED';
				o.updateTime = Date.now();
			}
		}
	}

	/** Binance's SIGNED endpoint check. Returns the refusal, or null when the request is authentic. */
	function verify(req: FakeRequest): SampleError | null {
		const key = req.headers['x-mbx-apikey'];
		if (key !== apiKey) return errors.invalid_api_key_401!;
		const query = req.rawQuery;
		const body = req.rawBody.toString('utf8');
		const total = `${query}${body}`;
		const m = /(^|&)signature=([0-9a-fA-F]+)/.exec(total);
		if (!m) return errors.invalid_signature_400!;
		const payload = total.replace(m[0], '');
		const expected = createHmac('sha256', apiSecret).update(payload).digest('hex');
		const given = m[2]!.toLowerCase();
		if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return errors.invalid_signature_400!;
		const params = { ...req.query, ...(typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, string>) : {}) };
		const ts = Number(params.timestamp);
		const window = params.recvWindow === undefined ? 5000 : Number(params.recvWindow);
		if (opts.recvWindowCheck !== false && (!Number.isFinite(ts) || ts > Date.now() + 1000 || Date.now() - ts > window)) return errors.timestamp_outside_recv_window_400!;
		return null;
	}

	const base = await startFakeServer(async (req, res) => {
		const send = (a: Answer) => ('error' in a ? sendSampleError(res, a.error) : sendJson(res, 200, a.body, { 'content-type': 'application/json;charset=UTF-8' }));
		const route = `${req.method} ${req.path}`;
		if (route === 'GET /api/v3/time') return sendJson(res, 200, { serverTime: Date.now() });
		if (route === 'GET /api/v3/ping') return sendJson(res, 200, {});
		if (route === 'GET /api/v3/exchangeInfo') {
			return sendJson(res, 200, { timezone: 'UTC', serverTime: Date.now(), rateLimits: [], exchangeFilters: [], symbols: symbols.map(marketInfo) });
		}
		const refusal = verify(req);
		if (refusal) {
			refused.push({ path: req.path, code: (refusal.body as { code: number }).code });
			return sendSampleError(res, refusal);
		}
		const e = injected.shift();
		if (e) return sendSampleError(res, e);
		const p = { ...req.query, ...(typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, string>) : {}) };
		switch (route) {
			case 'GET /api/v3/account': {
				const account = loadSample<Record<string, unknown>>(PROVIDER, 'account.json');
				return send({ body: { ...account, updateTime: Date.now(), balances: [...balances].map(([asset, b]) => ({ asset, free: s8(b.free), locked: s8(b.locked) })) } });
			}
			case 'POST /api/v3/order': {
				const answer = newOrder(p);
				if (holdCount > 0 && !('error' in answer)) {
					holdCount--;
					holds.push(res);
					return; // applied at the exchange, never answered
				}
				return send(answer);
			}
			case 'GET /api/v3/order': {
				const o = findOrder(p);
				return send(o ? { body: orderJson(o) } : fail(errors.order_does_not_exist_400!));
			}
			case 'DELETE /api/v3/order': {
				const o = findOrder(p);
				if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) return send(fail(errors.unknown_order_cancel_400!));
				o.status = 'CANCELED';
				return send({ body: orderJson(o) });
			}
			case 'GET /api/v3/openOrders':
				return send({ body: orders.filter((o) => (p.symbol === undefined || o.symbol === p.symbol) && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).map(orderJson) });
			case 'GET /api/v3/allOrders': {
				const since = p.startTime === undefined ? 0 : Number(p.startTime);
				const limit = Math.min(1000, p.limit === undefined ? 500 : Number(p.limit));
				return send({ body: orders.filter((o) => o.symbol === p.symbol && o.time >= since).slice(0, limit).map(orderJson) });
			}
			case 'GET /api/v3/myTrades': {
				const sample = loadSample<Record<string, unknown>[]>(PROVIDER, 'my_trades.json')[0]!;
				const mine = trades.filter((t) => t.symbol === p.symbol && (p.orderId === undefined || t.orderId === Number(p.orderId)));
				return send({
					body: mine.map((t) => ({ ...sample, symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: t.orderListId, price: s8(t.price), qty: s8(t.qty), quoteQty: s8(t.price * t.qty), commission: s8(t.commission), commissionAsset: t.commissionAsset, time: t.time, isBuyer: t.isBuyer, isMaker: false })),
				});
			}
			case 'POST /api/v3/orderList/oco':
				return send(newOco(p));
			case 'GET /api/v3/orderList': {
				const l = lists.find((x) => (p.orderListId !== undefined ? x.orderListId === Number(p.orderListId) : x.listClientOrderId === p.origClientOrderId));
				return send(l ? { body: listJson(l, false) } : fail(errors.order_does_not_exist_400!));
			}
			case 'DELETE /api/v3/orderList': {
				const l = lists.find((x) => x.symbol === p.symbol && (p.orderListId !== undefined ? x.orderListId === Number(p.orderListId) : x.listClientOrderId === p.listClientOrderId));
				if (!l || listJson(l, false).listStatusType === 'ALL_DONE') return send(fail(errors.unknown_order_cancel_400!));
				cancelList(l);
				return send({ body: { ...listJson(l, true), listStatusType: 'ALL_DONE', listOrderStatus: 'ALL_DONE' } });
			}
			default:
				return sendJson(res, 404, { code: -1000, msg: 'An unknown error occurred while processing the request.' });
		}
	});

	const fake: FakeBinanceAccount = {
		...base,
		origin: base.url,
		apiKey,
		apiSecret,
		orders,
		trades,
		refused,
		placedOrders: () => placed,
		balance: (asset) => ({ ...bal(asset) }),
		setBalance: (asset, free) => void (bal(asset).free = free),
		setPrice(symbol, price) {
			prices.set(symbol, price);
			for (const l of lists.filter((x) => x.symbol === symbol)) {
				const [belowId, aboveId] = l.orderIds;
				const below = orders.find((o) => o.orderId === belowId)!;
				const above = orders.find((o) => o.orderId === aboveId)!;
				if (below.status !== 'NEW' || above.status !== 'NEW') continue;
				const [hit, other] = price >= above.price ? [above, below] : price <= below.stopPrice ? [below, above] : [null, null];
				if (hit === null || other === null) continue;
				fill(hit, hit.origQty, hit.price, true);
				hit.status = 'FILLED';
				other.status = 'EXPIRED';
				other.updateTime = Date.now(); // both legs shared one lock of the base, which the filled leg consumed
			}
		},
		holdOrders(count = 1) {
			holdCount += count;
		},
		release() {
			holdCount = 0;
			for (const r of holds.splice(0)) r.destroy();
		},
		held: () => holds.length,
		get nextFillRatio() {
			return nextFillRatio;
		},
		set nextFillRatio(v: number | null) {
			nextFillRatio = v;
		},
		failNext(error) {
			injected.push(typeof error === 'string' ? errors[error]! : error);
		},
	};
	return fake;
}

/** Binance's request signature (for tests that sign by hand). */
export function binanceSignature(totalParams: string, secret: string): string {
	return createHmac('sha256', secret).update(totalParams).digest('hex');
}
