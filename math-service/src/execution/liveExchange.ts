/**
 * @module execution/liveExchange
 * The slice of a real ccxt exchange the LIVE executor uses, on a spot account signed with the
 * operator's keys (never logged). Binance spot (ccxt `binance`, spot markets only) is the one
 * supported today; `HFQ_LIVE_BASE_URL` points its REST origin elsewhere (a loopback fake in tests).
 *
 * - Rounding: amounts are truncated to the market's step (`amountToPrecision`), prices rounded to its
 *   tick (`priceToPrecision`); `minNotional` is the market's minimum order value (quote currency).
 * - Entries are MARKET orders carrying the client order id (`newClientOrderId` on Binance), so the
 *   order can be found again by that id whatever happened to the answer.
 * - Protection: an OCO sell (`POST /api/v3/orderList/oco`: LIMIT_MAKER at the target above,
 *   STOP_LOSS_LIMIT at the stop below), read back with `GET /api/v3/orderList`, cancelled with
 *   `DELETE /api/v3/orderList`, through ccxt's signed implicit API.
 * - Lookups for reconciliation are batched: one `allOrders` per symbol since a time (`fetchOrders`).
 * Errors are classified for the outbox (classifyOrderError): an order the exchange refused (balance,
 * filters, bad request, keys) is final; a network failure or timeout leaves it unknown — it may
 * have reached the exchange — so it is looked up by client order id, never sent again blindly.
 */
import ccxt from 'ccxt';
import type { LiveSettings } from './liveSettings.js';

export type ExchangeOrderStatus = 'open' | 'closed' | 'canceled' | 'expired' | 'rejected';

export interface ExchangeFill {
	price: number;
	amount: number;
	/** Commission and its asset (Binance: the base asset on a buy, the quote on a sell, unless BNB). */
	fee: number;
	feeCurrency: string | null;
}

export interface ExchangeOrder {
	id: string;
	clientOrderId: string | null;
	symbol: string;
	side: 'buy' | 'sell';
	status: ExchangeOrderStatus;
	amount: number;
	filled: number;
	/** Average fill price (null before any fill). */
	average: number | null;
	/** Quote spent or received. */
	cost: number;
	/** The fills when the exchange sent them (a FULL answer or myTrades); empty when unknown. */
	fills: ExchangeFill[];
	timestamp: number | null;
}

export interface ProtectionOrder {
	listId: string;
	listClientOrderId: string;
}

export interface ProtectionState {
	/** executing: both legs rest; done: one filled (or both cancelled). */
	status: 'executing' | 'done';
	/** The leg that filled: target (LIMIT_MAKER) or stop, its price and amount; null when none did. */
	filled: { leg: 'target' | 'stop'; orderId: string; price: number; amount: number } | null;
}

export interface MarketRules {
	amount(quantity: number): number;
	price(price: number): number;
	/** Minimum order value in quote currency, null when the market has none. */
	minNotional: number | null;
	minAmount: number | null;
}

export interface LiveExchange {
	readonly id: string;
	/** True when stop and target can rest on the exchange as one OCO (Binance spot). */
	readonly supportsOco: boolean;
	rules(symbol: string): Promise<MarketRules>;
	marketOrder(o: { symbol: string; side: 'buy' | 'sell'; amount: number; clientOrderId: string }): Promise<ExchangeOrder>;
	/** The order with this client order id, or null when the exchange does not know it. */
	orderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null>;
	/** Every order of `symbol` since `sinceMs` (one request: reconciliation's batch lookup). */
	ordersSince(symbol: string, sinceMs: number): Promise<ExchangeOrder[]>;
	/** The fills of one order (for its fee when the order answer had none). */
	orderFills(symbol: string, orderId: string): Promise<ExchangeFill[]>;
	placeProtection(o: { symbol: string; amount: number; stop: number; stopLimit: number; target: number; listClientOrderId: string }): Promise<ProtectionOrder>;
	protectionState(symbol: string, listId: string): Promise<ProtectionState>;
	cancelProtection(symbol: string, listId: string): Promise<void>;
	freeBalance(asset: string): Promise<number>;
}

export type OrderFailureKind = 'insufficient_balance' | 'rejected' | 'unknown';

/** What a failed order call means for the outbox: final (refused) or unknown (look it up). */
export function classifyOrderError(error: unknown): { kind: OrderFailureKind; reason: string } {
	const message = ((error as Error)?.message ?? String(error)).slice(0, 300);
	if (error instanceof ccxt.InsufficientFunds) return { kind: 'insufficient_balance', reason: `the exchange refused: insufficient balance (${message})` };
	if (error instanceof ccxt.NetworkError) return { kind: 'unknown', reason: `no answer from the exchange (${message}); the order is looked up by its client order id` };
	if (error instanceof ccxt.AuthenticationError || error instanceof ccxt.PermissionDenied) return { kind: 'rejected', reason: `the exchange refused the keys: ${message}` };
	if (error instanceof ccxt.BaseError) return { kind: 'rejected', reason: `the exchange refused the order: ${message}` };
	return { kind: 'unknown', reason: `the order call failed (${message}); the order is looked up by its client order id` };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN);

type Ccxt = InstanceType<typeof ccxt.binance>;

function toOrder(o: Record<string, any>): ExchangeOrder {
	const info = (o.info ?? {}) as Record<string, any>;
	const rawFills = Array.isArray(info.fills) ? (info.fills as Record<string, string>[]) : [];
	const status = (o.status ?? 'open') as ExchangeOrderStatus;
	return {
		id: String(o.id),
		clientOrderId: o.clientOrderId ?? info.clientOrderId ?? null,
		symbol: String(o.symbol),
		side: o.side === 'sell' ? 'sell' : 'buy',
		status,
		amount: num(o.amount) || 0,
		filled: num(o.filled) || 0,
		average: Number.isFinite(num(o.average)) ? num(o.average) : null,
		cost: num(o.cost) || 0,
		fills: rawFills.map((f) => ({ price: num(f.price), amount: num(f.qty), fee: num(f.commission) || 0, feeCurrency: f.commissionAsset ?? null })),
		timestamp: typeof o.timestamp === 'number' ? o.timestamp : null,
	};
}

/** A real ccxt client for the configured spot account. Never call it unless LIVE is armed. */
export function createLiveExchange(settings: Pick<LiveSettings, 'exchange' | 'baseUrl' | 'apiKey' | 'apiSecret'>, opts: { timeoutMs?: number } = {}): LiveExchange {
	const config: Record<string, unknown> = {
		apiKey: settings.apiKey ?? undefined,
		secret: settings.apiSecret ?? undefined,
		enableRateLimit: true,
		timeout: opts.timeoutMs ?? 10_000,
		options: { defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false, adjustForTimeDifference: false, warnOnFetchOpenOrdersWithoutSymbol: false },
	};
	if (settings.baseUrl) {
		const root = `${settings.baseUrl}/api/v3`;
		config.urls = { api: { public: root, private: root, v3: root } };
	}
	const client: Ccxt = new ccxt.binance(config);
	let loaded: Promise<unknown> | null = null;
	const markets = async () => {
		loaded ??= client.loadMarkets().catch((error: unknown) => {
			loaded = null;
			throw error;
		});
		await loaded;
	};
	const marketId = async (symbol: string) => {
		await markets();
		return client.market(symbol).id as string;
	};
	const api = client as unknown as Record<string, (params: Record<string, unknown>) => Promise<Record<string, any>>>;

	return {
		id: settings.exchange,
		supportsOco: settings.exchange === 'binance',
		async rules(symbol) {
			await markets();
			const m = client.market(symbol);
			const minCost = m.limits?.cost?.min;
			const minAmount = m.limits?.amount?.min;
			return {
				amount: (q) => Number(client.amountToPrecision(symbol, q)),
				price: (p) => Number(client.priceToPrecision(symbol, p)),
				minNotional: typeof minCost === 'number' ? minCost : null,
				minAmount: typeof minAmount === 'number' ? minAmount : null,
			};
		},
		async marketOrder({ symbol, side, amount, clientOrderId }) {
			await markets();
			return toOrder(await client.createOrder(symbol, 'market', side, amount, undefined, { newClientOrderId: clientOrderId }));
		},
		async orderByClientId(symbol, clientOrderId) {
			await markets();
			try {
				return toOrder(await client.fetchOrder('', symbol, { origClientOrderId: clientOrderId }));
			} catch (error) {
				if (error instanceof ccxt.OrderNotFound) return null;
				throw error;
			}
		},
		async ordersSince(symbol, sinceMs) {
			await markets();
			return (await client.fetchOrders(symbol, sinceMs, 1000)).map((o) => toOrder(o as unknown as Record<string, any>));
		},
		async orderFills(symbol, orderId) {
			await markets();
			const trades = await client.fetchMyTrades(symbol, undefined, undefined, { orderId });
			return trades.map((t) => ({ price: num(t.price), amount: num(t.amount), fee: num(t.fee?.cost) || 0, feeCurrency: t.fee?.currency ?? null }));
		},
		async placeProtection({ symbol, amount, stop, stopLimit, target, listClientOrderId }) {
			const id = await marketId(symbol);
			const r = await api.privatePostOrderListOco!({
				symbol: id,
				side: 'SELL',
				quantity: client.amountToPrecision(symbol, amount),
				aboveType: 'LIMIT_MAKER',
				abovePrice: client.priceToPrecision(symbol, target),
				belowType: 'STOP_LOSS_LIMIT',
				belowStopPrice: client.priceToPrecision(symbol, stop),
				belowPrice: client.priceToPrecision(symbol, stopLimit),
				belowTimeInForce: 'GTC',
				listClientOrderId,
			});
			return { listId: String(r.orderListId), listClientOrderId: String(r.listClientOrderId) };
		},
		async protectionState(symbol, listId) {
			await markets();
			const list = await api.privateGetOrderList!({ orderListId: listId });
			const legs = await Promise.all(
				((list.orders ?? []) as { orderId: number }[]).map(async (leg) => (await api.privateGetOrder!({ symbol: list.symbol, orderId: leg.orderId })) as Record<string, string>),
			);
			const hit = legs.find((l) => l.status === 'FILLED');
			const done = list.listOrderStatus === 'ALL_DONE' || list.listStatusType === 'ALL_DONE';
			return {
				status: done ? 'done' : 'executing',
				filled:
					hit === undefined
						? null
						: {
								leg: hit.type === 'LIMIT_MAKER' ? 'target' : 'stop',
								orderId: String(hit.orderId),
								price: num(hit.executedQty) > 0 ? num(hit.cummulativeQuoteQty) / num(hit.executedQty) : num(hit.price),
								amount: num(hit.executedQty),
							},
			};
		},
		async cancelProtection(symbol, listId) {
			const id = await marketId(symbol);
			try {
				await api.privateDeleteOrderList!({ symbol: id, orderListId: listId });
			} catch (error) {
				// Already done (a leg filled or it was cancelled): nothing is left to cancel.
				if (!(error instanceof ccxt.OrderNotFound || error instanceof ccxt.InvalidOrder)) throw error;
			}
		},
		async freeBalance(asset) {
			const b = (await client.fetchBalance()) as unknown as { free?: Record<string, number> };
			return b.free?.[asset] ?? 0;
		},
	};
}
