/**
 * @module storage/tradeLog
 * The trade log holds closed round trips (entry → exit) for performance tracking and for the
 * Kelly statistics: a strategy's recent trades give its win rate p and payoff b = avg win /
 * avg loss, from which the core sizes the next position. P&L is net of fees, in quote currency;
 * returnRatio = pnl / (entryPrice × quantity). PAPER and LIVE trades share the table, told apart
 * by `mode`.
 */
import type { Kysely } from 'kysely';
import { insertedId } from './insertOnce.js';
import type { Database, NewTrade, Trade, TradeMode } from './schema.js';

export interface RecentTradesQuery {
	strategy: string;
	symbol?: string;
	mode?: TradeMode;
	/** How many trades at most (the Kelly sample window). */
	limit: number;
}

export function tradeLogRepository(db: Kysely<Database>) {
	return {
		/** Appends a closed trade and returns it with its id. */
		async insert(trade: NewTrade): Promise<Trade> {
			const id = insertedId(await db.insertInto('tradeLog').values(trade).executeTakeFirstOrThrow());
			return db.selectFrom('tradeLog').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		},

		/** A strategy's most recently closed trades, newest first (by exit time, then id). */
		async recent(query: RecentTradesQuery): Promise<Trade[]> {
			return db
				.selectFrom('tradeLog')
				.selectAll()
				.where('strategy', '=', query.strategy)
				.$if(query.symbol !== undefined, (q) => q.where('symbol', '=', query.symbol!))
				.$if(query.mode !== undefined, (q) => q.where('mode', '=', query.mode!))
				.orderBy('exitTime', 'desc')
				.orderBy('id', 'desc')
				.limit(query.limit)
				.execute();
		},

		/** Trades closed with fromTime ≤ exitTime < toTime, oldest first (e.g. one UTC day's realized P&L). */
		async closedBetween(fromTime: number, toTime: number): Promise<Trade[]> {
			return db
				.selectFrom('tradeLog')
				.selectAll()
				.where('exitTime', '>=', fromTime)
				.where('exitTime', '<', toTime)
				.orderBy('exitTime')
				.orderBy('id')
				.execute();
		},
	};
}

export type TradeLogRepository = ReturnType<typeof tradeLogRepository>;
