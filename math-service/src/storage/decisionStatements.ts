/**
 * @module storage/decisionStatements
 * Every read and write of a risk decision as one prepared statement each (storage/preparedSql), on
 * the connection of the decision transaction. Same tables, same rows and the same idempotency as
 * the Kysely repositories (signals, decisions, paperLedger, riskState, equitySnapshots, tradeLog):
 * - a signal or decision is unique by alert id: a duplicate key returns the row that won;
 * - a cash movement is unique by (reason, ref), so the same fill is never booked twice;
 * - MySQL: the rows a decision depends on are read with `lock in share mode` (the latest committed
 *   row, not the transaction's snapshot), and `decision_lock` / `paper_ledger_lock` in risk_state are
 *   the row locks that serialise deciders and ledger writers across processes.
 * Rows come back in the schema's camelCase shape (column aliases), numbers as numbers.
 */
import { RetryableError } from '../errors.js';
import { isDuplicateKeyError } from './insertOnce.js';
import type { SqlConnection, SqlParam } from './preparedSql.js';
import type { Decision, PaperPosition, Signal } from './schema.js';

const SIGNAL_COLUMNS = 'id, alert_id as "alertId", source, symbol, action, payload_json as "payloadJson", received_at as "receivedAt", signal_time as "signalTime"';
const DECISION_COLUMNS = 'id, signal_id as "signalId", alert_id as "alertId", status, reason_code as "reasonCode", symbol, receipt_json as "receiptJson", created_at as "createdAt"';
const POSITION_COLUMNS =
	'id, strategy, symbol, quantity, entry_price as "entryPrice", stop_price as "stopPrice", target_price as "targetPrice", fees, opened_at as "openedAt", ' +
	'closed_at as "closedAt", exit_price as "exitPrice", exit_reason as "exitReason", realized_pnl as "realizedPnl", status, decision_id as "decisionId"';

/** IN lists are padded to a power of two (repeating the last key), so a few statement texts serve every batch size. */
function paddedKeys(keys: readonly string[]): string[] {
	let size = 1;
	while (size < keys.length) size *= 2;
	const out = [...keys];
	while (out.length < size) out.push(keys[keys.length - 1]!);
	return out;
}

/** Subqueries per `union all` statement (pipeline reads of many symbols at once). */
const UNION_CHUNK = 32;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export interface NewSignalRow {
	alertId: string;
	source: Signal['source'];
	symbol: string;
	action: string;
	payloadJson: string;
	receivedAt: number;
	signalTime: number | null;
}

export interface NewDecisionRow {
	signalId: number | null;
	alertId: string;
	status: Decision['status'];
	reasonCode: string;
	symbol: string;
	receiptJson: string;
	createdAt: number;
}

export interface RecentTradeRow {
	pnl: number;
	returnRatio: number;
}

export function decisionStatements(c: SqlConnection) {
	const mysql = c.dialect === 'mysql';
	const locking = mysql ? ' lock in share mode' : '';
	const upsertRiskState = mysql
		? 'insert into risk_state ("key", value, updated_at) values (?, ?, ?) on duplicate key update value = values(value), updated_at = values(updated_at)'
		: 'insert into risk_state ("key", value, updated_at) values (?, ?, ?) on conflict ("key") do update set value = excluded.value, updated_at = excluded.updated_at';

	async function one<R>(sql: string, params: readonly SqlParam[]): Promise<R | undefined> {
		return (await c.all<R>(sql, params))[0];
	}

	/** INSERT; on a duplicate key the row that owns the key (read with a locking read). */
	async function insertOnce<R>(insert: () => Promise<number>, existing: () => Promise<R | undefined>): Promise<{ inserted: true; id: number } | { inserted: false; row: R }> {
		try {
			return { inserted: true, id: await insert() };
		} catch (error) {
			if (!isDuplicateKeyError(error)) throw error;
			const row = await existing();
			if (row === undefined) throw new RetryableError('a concurrent insert of the same key was rolled back; retry', 0, { cause: error });
			return { inserted: false, row };
		}
	}

	/**
	 * One SELECT per key (each may order and limit its own rows) run as one statement: the
	 * subqueries joined by `union all`, each row tagged with its subquery's index. Returns the rows
	 * of each subquery, in no particular order (callers sort).
	 */
	async function eachOf<R>(subqueries: readonly { sql: string; params: readonly SqlParam[] }[]): Promise<R[][]> {
		const out: R[][] = subqueries.map(() => []);
		for (let from = 0; from < subqueries.length; from += UNION_CHUNK) {
			const chunk = subqueries.slice(from, from + UNION_CHUNK);
			const sql = chunk.map((q, j) => `select * from (${q.sql.replace(/^select /, `select ${from + j} as i, `)}) as q${j}`).join(' union all ');
			for (const row of await c.all<R & { i: number | string }>(sql, chunk.flatMap((q) => q.params))) out[Number(row.i)]!.push(row);
		}
		return out;
	}

	const signalByAlertId = (alertId: string) => one<Signal>(`select ${SIGNAL_COLUMNS} from signals where alert_id = ?${locking}`, [alertId]);
	const decisionByAlertId = (alertId: string) => one<Decision>(`select ${DECISION_COLUMNS} from decisions where alert_id = ?${locking}`, [alertId]);

	return {
		/** The transaction's connection, for statements kept beside their own tables (storage/liveOrderOutbox). */
		connection: c,
		/** MySQL: the row lock that serialises decision transactions across processes (held until commit). */
		async lockDecisions(nowMs: number): Promise<void> {
			if (mysql) await c.run(upsertRiskState, ['decision_lock', String(nowMs), nowMs]);
		},

		/** MySQL: the ledger writers' row lock (paperLedger.lockLedger), taken after the decision lock. */
		async lockLedger(nowMs: number): Promise<void> {
			if (mysql) await c.run('insert into risk_state ("key", value, updated_at) values (\'paper_ledger_lock\', \'\', ?) on duplicate key update updated_at = values(updated_at)', [nowMs]);
		},

		/** The stored signals and decisions of these alert ids (one read each for a whole batch). */
		async byAlertIds(alertIds: readonly string[]): Promise<{ signals: Map<string, Signal>; decisions: Map<string, Decision> }> {
			const signals = new Map<string, Signal>();
			const decisions = new Map<string, Decision>();
			if (alertIds.length === 0) return { signals, decisions };
			const keys = paddedKeys(alertIds);
			const where = `alert_id in (${placeholders(keys.length)})${locking}`;
			for (const s of await c.all<Signal>(`select ${SIGNAL_COLUMNS} from signals where ${where}`, keys)) signals.set(s.alertId, s);
			for (const d of await c.all<Decision>(`select ${DECISION_COLUMNS} from decisions where ${where}`, keys)) decisions.set(d.alertId, d);
			return { signals, decisions };
		},

		/** Stores a signal once per alert id; a repeat gets the first row. */
		async insertSignal(row: NewSignalRow): Promise<{ inserted: boolean; signal: Signal }> {
			const r = await insertOnce(
				async () =>
					(
						await c.run('insert into signals (alert_id, source, symbol, action, payload_json, received_at, signal_time) values (?, ?, ?, ?, ?, ?, ?)', [
							row.alertId,
							row.source,
							row.symbol,
							row.action,
							row.payloadJson,
							row.receivedAt,
							row.signalTime,
						])
					).insertId,
				() => signalByAlertId(row.alertId),
			);
			return r.inserted ? { inserted: true, signal: { id: r.id, ...row } } : { inserted: false, signal: r.row };
		},

		/** Stores the first decision of an alert id; a repeat gets that first decision. */
		async insertDecision(row: NewDecisionRow): Promise<{ inserted: boolean; decision: Decision }> {
			const r = await insertOnce(
				async () =>
					(
						await c.run('insert into decisions (signal_id, alert_id, status, reason_code, symbol, receipt_json, created_at) values (?, ?, ?, ?, ?, ?, ?)', [
							row.signalId,
							row.alertId,
							row.status,
							row.reasonCode,
							row.symbol,
							row.receiptJson,
							row.createdAt,
						])
					).insertId,
				() => decisionByAlertId(row.alertId),
			);
			return r.inserted ? { inserted: true, decision: { id: r.id, ...row } } : { inserted: false, decision: r.row };
		},

		async setReceipt(decisionId: number, receiptJson: string): Promise<void> {
			await c.run('update decisions set receipt_json = ? where id = ?', [receiptJson, decisionId]);
		},

		/** Books the starting deposit once (unique reason + ref, as paperLedger.ensureInitialDeposit). */
		async ensureInitialDeposit(amount: number, nowMs: number): Promise<void> {
			if (await one('select id from paper_cash where reason = \'initial_deposit\' limit 1', [])) return;
			await insertOnce(
				async () => (await c.run('insert into paper_cash (amount, reason, ref, created_at) values (?, \'initial_deposit\', \'initial\', ?)', [amount, nowMs])).insertId,
				() => one('select id from paper_cash where reason = \'initial_deposit\' and ref = \'initial\'' + locking, []),
			);
		},

		async cashBalance(): Promise<number> {
			const row = await one<{ balance: number | string | null }>(`select coalesce(sum(amount), 0) as balance from paper_cash${locking}`, []);
			return Number(row?.balance ?? 0);
		},

		/** Open positions, oldest first. */
		openPositions(): Promise<PaperPosition[]> {
			return c.all<PaperPosition>(`select ${POSITION_COLUMNS} from paper_positions where status = 'open' order by opened_at, id`, []);
		},

		/** The latest stored close of a symbol (any exchange, any timeframe), or null. */
		async latestClose(symbol: string): Promise<number | null> {
			const row = await one<{ close: number }>('select close from candles where symbol = ? order by open_time desc limit 1', [symbol]);
			return row && Number.isFinite(row.close) && row.close > 0 ? row.close : null;
		},

		/** latestClose of each symbol, in one statement. */
		async latestCloses(symbols: readonly string[]): Promise<Map<string, number | null>> {
			const rows = await eachOf<{ close: number }>(symbols.map((symbol) => ({ sql: 'select close from candles where symbol = ? order by open_time desc limit 1', params: [symbol] })));
			return new Map(symbols.map((symbol, k) => {
				const close = rows[k]![0]?.close;
				return [symbol, close !== undefined && Number.isFinite(close) && close > 0 ? close : null];
			}));
		},

		/** recentCloses of each key, in one statement (the same rows, oldest first). */
		async recentClosesOf(keys: readonly { symbol: string; timeframe: string; limit: number; beforeMs: number }[]): Promise<number[][]> {
			const rows = await eachOf<{ close: number; openTime: number }>(
				keys.map((k) => ({
					sql: `select close, open_time as "openTime" from candles where symbol = ? and timeframe = ? and open_time <= ? order by open_time desc limit ${Math.max(1, Math.trunc(k.limit) + 1)}`,
					params: [k.symbol, k.timeframe, k.beforeMs],
				})),
			);
			return rows.map((r) => r.sort((a, b) => Number(a.openTime) - Number(b.openTime)).map((x) => x.close));
		},

		/** recentTrades of each key, in one statement (the same rows, newest first). */
		async recentTradesOf(keys: readonly { strategy: string; symbol: string; limit: number }[]): Promise<RecentTradeRow[][]> {
			const rows = await eachOf<RecentTradeRow & { exitTime: number; id: number }>(
				keys.map((k) => ({
					sql: `select pnl, return_ratio as "returnRatio", exit_time as "exitTime", id from trade_log where strategy = ? and symbol = ? order by exit_time desc, id desc limit ${Math.max(1, Math.trunc(k.limit))}`,
					params: [k.strategy, k.symbol],
				})),
			);
			return rows.map((r) => r.sort((a, b) => Number(b.exitTime) - Number(a.exitTime) || Number(b.id) - Number(a.id)).map((x) => ({ pnl: x.pnl, returnRatio: x.returnRatio })));
		},

		/** latestPanicSnapshot of each currency, in one statement. */
		async latestPanicSnapshots(currencies: readonly string[], asOf: number): Promise<Map<string, { currency: string; panicScore: number | null; computedAt: number } | null>> {
			const rows = await eachOf<{ currency: string; panicScore: number | null; computedAt: number }>(
				currencies.map((currency) => ({
					sql: 'select currency, panic_score as "panicScore", computed_at as "computedAt" from sentiment_snapshots where currency = ? and computed_at <= ? order by computed_at desc, id desc limit 1',
					params: [currency, asOf],
				})),
			);
			return new Map(currencies.map((currency, k) => {
				const row = rows[k]![0];
				return [currency, row === undefined ? null : { currency: row.currency, panicScore: row.panicScore === null ? null : Number(row.panicScore), computedAt: Number(row.computedAt) }];
			}));
		},

		/** Up to `limit + 1` closes of a symbol and timeframe at or before `beforeMs`, oldest first. */
		async recentCloses(symbol: string, timeframe: string, limit: number, beforeMs: number): Promise<number[]> {
			const n = Math.max(1, Math.trunc(limit) + 1);
			const rows = await c.all<{ close: number }>(`select close from candles where symbol = ? and timeframe = ? and open_time <= ? order by open_time desc limit ${n}`, [symbol, timeframe, beforeMs]);
			return rows.map((r) => r.close).reverse();
		},

		/** The newest news-sentiment snapshot of a currency ('*' = market) computed at or before `asOf` (point in time), or null. */
		async latestPanicSnapshot(currency: string, asOf: number): Promise<{ currency: string; panicScore: number | null; computedAt: number } | null> {
			const row = await one<{ currency: string; panicScore: number | null; computedAt: number }>(
				'select currency, panic_score as "panicScore", computed_at as "computedAt" from sentiment_snapshots where currency = ? and computed_at <= ? order by computed_at desc, id desc limit 1',
				[currency, asOf],
			);
			return row === undefined ? null : { currency: row.currency, panicScore: row.panicScore === null ? null : Number(row.panicScore), computedAt: Number(row.computedAt) };
		},

		/** A strategy's most recent closed trades on a symbol, newest first (the Kelly sample). */
		recentTrades(strategy: string, symbol: string, limit: number): Promise<RecentTradeRow[]> {
			const n = Math.max(1, Math.trunc(limit));
			return c.all<RecentTradeRow>(`select pnl, return_ratio as "returnRatio" from trade_log where strategy = ? and symbol = ? order by exit_time desc, id desc limit ${n}`, [strategy, symbol]);
		},

		/** The operator's kill switch (desk_state): who halted and since when, or null while trading. */
		async operatorHalt(): Promise<{ sinceMs: number; by: string } | null> {
			const row = await one<{ halted: number; since: number | null; by: string | null }>('select halted, halted_since as since, halted_by as "by" from desk_state where id = 1', []);
			return row !== undefined && Number(row.halted) === 1 ? { sinceMs: Number(row.since ?? 0), by: row.by ?? 'operator' } : null;
		},

		async riskState(key: string): Promise<string | null> {
			return (await one<{ value: string }>('select value from risk_state where "key" = ?', [key]))?.value ?? null;
		},

		async setRiskState(key: string, value: string, nowMs: number): Promise<void> {
			await c.run(upsertRiskState, [key, value, nowMs]);
		},

		/** The equity of the newest snapshot at or before `time`, or null. */
		async equityAtOrBefore(time: number): Promise<number | null> {
			return (await one<{ equity: number }>('select equity from equity_snapshots where taken_at <= ? order by taken_at desc, id desc limit 1', [time]))?.equity ?? null;
		},

		/** Equity snapshots, in order, in one statement. */
		async recordEquity(snapshots: readonly { takenAt: number; equity: number }[]): Promise<void> {
			for (let i = 0; i < snapshots.length; i += 64) {
				const chunk = snapshots.slice(i, i + 64);
				await c.run(`insert into equity_snapshots (taken_at, equity) values ${chunk.map(() => '(?, ?)').join(', ')}`, chunk.flatMap((s) => [s.takenAt, s.equity]));
			}
		},

		/** A filled market order and its fill; returns their ids. */
		async insertFilledOrder(o: { decisionId: number | null; symbol: string; side: 'buy' | 'sell'; quantity: number; price: number; fee: number; at: number }): Promise<{ orderId: number; fillId: number }> {
			const orderId = (
				await c.run(
					'insert into paper_orders (decision_id, symbol, side, type, quantity, limit_price, stop_price, status, created_at, updated_at) values (?, ?, ?, \'market\', ?, null, null, \'filled\', ?, ?)',
					[o.decisionId, o.symbol, o.side, o.quantity, o.at, o.at],
				)
			).insertId;
			const fillId = (await c.run('insert into paper_fills (order_id, price, quantity, fee, filled_at) values (?, ?, ?, ?, ?)', [orderId, o.price, o.quantity, o.fee, o.at])).insertId;
			return { orderId, fillId };
		},

		/** A cash movement, unique by (reason, ref): a repeat is refused by the database. */
		async insertCash(amount: number, reason: string, ref: string, at: number): Promise<void> {
			await c.run('insert into paper_cash (amount, reason, ref, created_at) values (?, ?, ?, ?)', [amount, reason, ref, at]);
		},

		async insertPosition(p: Omit<PaperPosition, 'id' | 'closedAt' | 'exitPrice' | 'exitReason' | 'realizedPnl' | 'status' | 'checkedUntil'>): Promise<number> {
			return (
				await c.run(
					'insert into paper_positions (strategy, symbol, quantity, entry_price, stop_price, target_price, fees, opened_at, closed_at, exit_price, exit_reason, realized_pnl, status, decision_id, time_stop_ms) values (?, ?, ?, ?, ?, ?, ?, ?, null, null, null, null, \'open\', ?, ?)',
					[p.strategy, p.symbol, p.quantity, p.entryPrice, p.stopPrice, p.targetPrice, p.fees, p.openedAt, p.decisionId, p.timeStopMs ?? null],
				)
			).insertId;
		},

		/** Closes an open position; false when it was not open any more. */
		async closePosition(id: number, c2: { closedAt: number; exitPrice: number; exitReason: string; realizedPnl: number; fees: number }): Promise<boolean> {
			const r = await c.run('update paper_positions set status = \'closed\', closed_at = ?, exit_price = ?, exit_reason = ?, realized_pnl = ?, fees = ? where id = ? and status = \'open\'', [
				c2.closedAt,
				c2.exitPrice,
				c2.exitReason,
				c2.realizedPnl,
				c2.fees,
				id,
			]);
			return r.changes === 1;
		},

		async insertTrade(t: { strategy: string; symbol: string; mode: 'PAPER' | 'LIVE'; entryTime: number; entryPrice: number; exitTime: number; exitPrice: number; exitReason: string; quantity: number; pnl: number; returnRatio: number; fees: number }): Promise<number> {
			return (
				await c.run(
					'insert into trade_log (strategy, symbol, mode, entry_time, entry_price, exit_time, exit_price, exit_reason, quantity, pnl, return_ratio, fees) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
					[t.strategy, t.symbol, t.mode, t.entryTime, t.entryPrice, t.exitTime, t.exitPrice, t.exitReason, t.quantity, t.pnl, t.returnRatio, t.fees],
				)
			).insertId;
		},
	};
}

export type DecisionStatements = ReturnType<typeof decisionStatements>;
