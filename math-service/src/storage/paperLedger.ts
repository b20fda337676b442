/**
 * @module storage/paperLedger
 * The paper ledger simulates a spot account (PAPER mode, the default) in quote currency (USDT).
 * - Cash is a ledger, never a stored balance: every movement is a signed row (+ deposit or sale
 *   proceeds, − purchase cost and fees) and the balance is their sum, so it can be audited and
 *   recomputed. A movement is unique by (reason, ref): the same fill cannot be booked twice.
 * - Opening a position buys `quantity` at `price`: one market order, its fill, the open position
 *   and the cash movement −(price × quantity + fee), all in one transaction (all or nothing);
 *   it refuses to spend more cash than the ledger holds, also under concurrent opens.
 * - Closing sells the whole position: order, fill, cash +(price × quantity − fee), the position
 *   closed with realized P&L = (exit − entry) × quantity − all fees, and a trade-log row whose
 *   return ratio is P&L / (entry × quantity) for the Kelly statistics.
 * Long only: the product trades spot through DEX swaps.
 */
import type { Kysely } from 'kysely';
import { InvalidInputError } from '../errors.js';
import { inTransaction, insertedId, insertOnce, LOCKING_READ, needsLockingRead, type Dialect } from './insertOnce.js';
import type { Database, PaperCashMovement, PaperFill, PaperOrder, PaperPosition, Trade, TradeMode } from './schema.js';

export interface OpenPositionInput {
	strategy: string;
	symbol: string;
	/** Base-asset units to buy (> 0). */
	quantity: number;
	/** Fill price, quote per base unit (> 0). */
	price: number;
	/** Fee in quote currency (default 0). */
	fee?: number;
	stopPrice?: number | null;
	targetPrice?: number | null;
	openedAt: number;
	decisionId: number | null;
	/** The time stop it opens with, ms (the Decide node's); null/absent = the monitor's default. */
	timeStopMs?: number | null;
}

export interface ClosePositionInput {
	positionId: number;
	price: number;
	fee?: number;
	/** 'stop', 'target', 'time_stop', 'manual', … */
	exitReason: string;
	closedAt: number;
	/** Recorded in the trade log; the paper ledger is PAPER unless told otherwise. */
	mode?: TradeMode;
	/**
	 * What the exchange actually sold, when less than the position (a LIVE sell truncated to the lot
	 * step leaves dust). Proceeds are booked for this quantity only; the unsold rest's cost stays in
	 * the P&L as a loss, so cash is never overstated. Default: the whole position.
	 */
	soldQuantity?: number;
}

export interface CashMovementInput {
	amount: number;
	reason: string;
	ref: string | null;
	createdAt: number;
}

/** Tolerance for "enough cash": one millionth of a quote unit, far below any real price tick. */
const CASH_EPSILON = 1e-6;

function positive(value: number, name: string): number {
	if (!Number.isFinite(value) || value <= 0) throw new InvalidInputError(`${name} must be a positive number`, [name]);
	return value;
}

function nonNegative(value: number, name: string): number {
	if (!Number.isFinite(value) || value < 0) throw new InvalidInputError(`${name} must be zero or positive`, [name]);
	return value;
}

/** The quantity a close sells: the whole position, or what the exchange sold (never more than held). */
function soldQuantityOf(input: ClosePositionInput, held: number): number {
	if (input.soldQuantity === undefined) return held;
	const sold = positive(input.soldQuantity, 'soldQuantity');
	if (sold > held * (1 + 1e-9)) throw new InvalidInputError(`soldQuantity ${sold} exceeds the position's ${held}`, ['soldQuantity']);
	return Math.min(sold, held);
}

export function paperLedgerRepository(db: Kysely<Database>, dialect: Dialect) {
	async function recordCash(tx: Kysely<Database>, input: CashMovementInput) {
		if (!Number.isFinite(input.amount)) throw new InvalidInputError('amount must be a finite number', ['amount']);
		const result = await insertOnce(
			async () => insertedId(await tx.insertInto('paperCash').values(input).executeTakeFirstOrThrow()),
			(id) => tx.selectFrom('paperCash').selectAll().where('id', '=', id).executeTakeFirst(),
			() =>
				tx
					.selectFrom('paperCash')
					.selectAll()
					.where('reason', '=', input.reason)
					.where('ref', input.ref === null ? 'is' : '=', input.ref)
					.$if(needsLockingRead(tx, dialect), (q) => q.modifyEnd(LOCKING_READ))
					.executeTakeFirst(),
		);
		return { inserted: result.inserted, movement: result.row } as { inserted: boolean; movement: PaperCashMovement };
	}

	async function cashBalance(tx: Kysely<Database>): Promise<number> {
		const row = await tx
			.selectFrom('paperCash')
			.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('balance'))
			.$if(needsLockingRead(tx, dialect), (q) => q.modifyEnd(LOCKING_READ))
			.executeTakeFirstOrThrow();
		return Number(row.balance);
	}

	/**
	 * Serialises ledger writers. SQLite has one connection, so its transactions already run one at
	 * a time; on MySQL two transactions could both read the same balance and overspend it, so each
	 * first takes the row lock of the `paper_ledger_lock` risk_state key (held until commit).
	 */
	async function lockLedger(tx: Kysely<Database>, at: number): Promise<void> {
		if (dialect !== 'mysql') return;
		await tx
			.insertInto('riskState')
			.values({ key: 'paper_ledger_lock', value: '', updatedAt: at })
			.onDuplicateKeyUpdate({ updatedAt: at })
			.execute();
	}

	async function insertFilledOrder(
		tx: Kysely<Database>,
		order: { decisionId: number | null; symbol: string; side: 'buy' | 'sell'; quantity: number; price: number; fee: number; at: number },
	): Promise<{ order: PaperOrder; fill: PaperFill }> {
		const orderId = insertedId(
			await tx
				.insertInto('paperOrders')
				.values({
					decisionId: order.decisionId,
					symbol: order.symbol,
					side: order.side,
					type: 'market',
					quantity: order.quantity,
					limitPrice: null,
					stopPrice: null,
					status: 'filled',
					createdAt: order.at,
					updatedAt: order.at,
				})
				.executeTakeFirstOrThrow(),
		);
		const fillId = insertedId(
			await tx
				.insertInto('paperFills')
				.values({ orderId, price: order.price, quantity: order.quantity, fee: order.fee, filledAt: order.at })
				.executeTakeFirstOrThrow(),
		);
		return {
			order: await tx.selectFrom('paperOrders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow(),
			fill: await tx.selectFrom('paperFills').selectAll().where('id', '=', fillId).executeTakeFirstOrThrow(),
		};
	}

	return {
		/** The paper cash balance in quote currency: the sum of all movements (0 for an empty ledger). */
		cashBalance: () => cashBalance(db),

		/** Books a cash movement once per (reason, ref); a repeat returns the first with `inserted: false`. */
		recordCash: (input: CashMovementInput) => recordCash(db, input),

		/** Books the account's starting capital unless an initial deposit exists already. */
		ensureInitialDeposit: (amount: number, createdAt: number) =>
			recordCash(db, { amount: positive(amount, 'amount'), reason: 'initial_deposit', ref: 'initial', createdAt }),

		/** Buys into a new long position atomically (order, fill, position, cash). */
		async openPosition(input: OpenPositionInput): Promise<{ order: PaperOrder; fill: PaperFill; position: PaperPosition }> {
			const quantity = positive(input.quantity, 'quantity');
			const price = positive(input.price, 'price');
			const fee = nonNegative(input.fee ?? 0, 'fee');
			return inTransaction(db, async (tx) => {
				await lockLedger(tx, input.openedAt);
				const { order, fill } = await insertFilledOrder(tx, {
					decisionId: input.decisionId,
					symbol: input.symbol,
					side: 'buy',
					quantity,
					price,
					fee,
					at: input.openedAt,
				});
				const cost = price * quantity + fee;
				const balance = await cashBalance(tx);
				if (cost > balance + CASH_EPSILON) {
					throw new InvalidInputError(`paper cash ${balance} does not cover ${cost} for ${quantity} ${input.symbol} at ${price}`, ['quantity']);
				}
				await recordCash(tx, { amount: -cost, reason: 'buy', ref: `fill:${fill.id}`, createdAt: input.openedAt });
				const positionId = insertedId(
					await tx
						.insertInto('paperPositions')
						.values({
							strategy: input.strategy,
							symbol: input.symbol,
							quantity,
							entryPrice: price,
							stopPrice: input.stopPrice ?? null,
							targetPrice: input.targetPrice ?? null,
							fees: fee,
							openedAt: input.openedAt,
							closedAt: null,
							exitPrice: null,
							exitReason: null,
							realizedPnl: null,
							status: 'open',
							decisionId: input.decisionId,
							timeStopMs: input.timeStopMs ?? null,
						})
						.executeTakeFirstOrThrow(),
				);
				const position = await tx.selectFrom('paperPositions').selectAll().where('id', '=', positionId).executeTakeFirstOrThrow();
				return { order, fill, position };
			});
		},

		/** Sells a whole open position atomically and logs the closed trade. */
		async closePosition(input: ClosePositionInput): Promise<{ order: PaperOrder; fill: PaperFill; position: PaperPosition; trade: Trade }> {
			const price = positive(input.price, 'price');
			const fee = nonNegative(input.fee ?? 0, 'fee');
			return inTransaction(db, async (tx) => {
				await lockLedger(tx, input.closedAt);
				const open = await tx
					.selectFrom('paperPositions')
					.selectAll()
					.where('id', '=', input.positionId)
					.$if(dialect === 'mysql', (q) => q.forUpdate())
					.executeTakeFirst();
				if (open === undefined || open.status !== 'open') {
					throw new InvalidInputError(`paper position ${input.positionId} is not open`, ['positionId']);
				}
				const sold = soldQuantityOf(input, open.quantity);
				const { order, fill } = await insertFilledOrder(tx, {
					decisionId: open.decisionId,
					symbol: open.symbol,
					side: 'sell',
					quantity: sold,
					price,
					fee,
					at: input.closedAt,
				});
				await recordCash(tx, { amount: price * sold - fee, reason: 'sell', ref: `fill:${fill.id}`, createdAt: input.closedAt });
				const fees = open.fees + fee;
				const pnl = price * sold - open.entryPrice * open.quantity - fees;
				const updated = await tx
					.updateTable('paperPositions')
					.set({ status: 'closed', closedAt: input.closedAt, exitPrice: price, exitReason: input.exitReason, realizedPnl: pnl, fees })
					.where('id', '=', open.id)
					.where('status', '=', 'open')
					.executeTakeFirst();
				// A concurrent close won the race (SQLite serialises, MySQL's FOR UPDATE waits): refuse.
				if (Number(updated.numUpdatedRows) !== 1) throw new InvalidInputError(`paper position ${open.id} is not open`, ['positionId']);
				const tradeId = insertedId(
					await tx
						.insertInto('tradeLog')
						.values({
							strategy: open.strategy,
							symbol: open.symbol,
							mode: input.mode ?? 'PAPER',
							entryTime: open.openedAt,
							entryPrice: open.entryPrice,
							exitTime: input.closedAt,
							exitPrice: price,
							exitReason: input.exitReason,
							quantity: sold,
							pnl,
							returnRatio: pnl / (open.entryPrice * open.quantity),
							fees,
						})
						.executeTakeFirstOrThrow(),
				);
				return {
					order,
					fill,
					position: await tx.selectFrom('paperPositions').selectAll().where('id', '=', open.id).executeTakeFirstOrThrow(),
					trade: await tx.selectFrom('tradeLog').selectAll().where('id', '=', tradeId).executeTakeFirstOrThrow(),
				};
			});
		},

		/** Open positions, oldest first, optionally for one symbol. */
		/** Records how far the risk monitor has examined a position's candles. */
		async setCheckedUntil(positionId: number, checkedUntil: number): Promise<void> {
			await db.updateTable('paperPositions').set({ checkedUntil }).where('id', '=', positionId).execute();
		},

		/** setCheckedUntil for several positions at once (one statement per 500 ids). */
		async setCheckedUntilMany(positionIds: readonly number[], checkedUntil: number): Promise<void> {
			for (let i = 0; i < positionIds.length; i += 500) {
				await db.updateTable('paperPositions').set({ checkedUntil }).where('id', 'in', positionIds.slice(i, i + 500)).execute();
			}
		},

		async openPositions(symbol?: string): Promise<PaperPosition[]> {
			return db
				.selectFrom('paperPositions')
				.selectAll()
				.where('status', '=', 'open')
				.$if(symbol !== undefined, (q) => q.where('symbol', '=', symbol!))
				.orderBy('openedAt')
				.orderBy('id')
				.execute();
		},

		async getPosition(id: number): Promise<PaperPosition | null> {
			return (await db.selectFrom('paperPositions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
		},

		/** Cash movements, oldest first. */
		async cashMovements(): Promise<PaperCashMovement[]> {
			return db.selectFrom('paperCash').selectAll().orderBy('id').execute();
		},
	};
}

export type PaperLedgerRepository = ReturnType<typeof paperLedgerRepository>;
