/**
 * @module execution/paperBroker
 * PAPER execution (the default mode): an approved entry is filled at once at the alert's entry
 * price, long only (spot), paying `feeRatio` × notional (0.1 % default, a typical taker fee) in
 * quote currency; an exit sells the whole position at the given price with the same fee. Every
 * fill goes through the paper ledger (order, fill, position, cash movement, and on exit the
 * trade-log row whose return feeds the Kelly statistics), inside the caller's transaction when
 * it passes transaction-bound repositories.
 */
import type { Repositories } from '../storage/openStorage.js';
import type { PaperFill, PaperOrder, PaperPosition, Trade } from '../storage/schema.js';

export interface EntryOrder {
	strategy: string;
	symbol: string;
	/** Base-asset units (> 0). */
	quantity: number;
	/** Fill price, quote per unit (> 0). */
	price: number;
	stop: number | null;
	target: number | null;
	decisionId: number;
	atMs: number;
	/** The time stop the position keeps, ms (null = the monitor's default). */
	timeStopMs?: number | null;
}

export interface ExitOrder {
	positionId: number;
	price: number;
	/** 'stop' | 'target' | 'time_stop' | 'signal_exit' | … */
	exitReason: string;
	atMs: number;
}

export interface EntryFill {
	broker: 'paper';
	order: PaperOrder;
	fill: PaperFill;
	position: PaperPosition;
	fee: number;
}

export interface ExitFill {
	broker: 'paper';
	order: PaperOrder;
	fill: PaperFill;
	position: PaperPosition;
	trade: Trade;
	fee: number;
}

export interface PaperBroker {
	readonly kind: 'paper';
	readonly feeRatio: number;
	openLong(repos: Repositories, order: EntryOrder): Promise<EntryFill>;
	closeLong(repos: Repositories, order: ExitOrder): Promise<ExitFill>;
}

export function createPaperBroker(feeRatio = 0.001): PaperBroker {
	return {
		kind: 'paper',
		feeRatio,
		async openLong(repos, o) {
			const fee = o.price * o.quantity * feeRatio;
			const r = await repos.paperLedger.openPosition({
				strategy: o.strategy,
				symbol: o.symbol,
				quantity: o.quantity,
				price: o.price,
				fee,
				stopPrice: o.stop,
				targetPrice: o.target,
				openedAt: o.atMs,
				decisionId: o.decisionId,
				timeStopMs: o.timeStopMs ?? null,
			});
			return { broker: 'paper', ...r, fee };
		},
		async closeLong(repos, o) {
			const open = await repos.paperLedger.getPosition(o.positionId);
			const fee = open === null ? 0 : o.price * open.quantity * feeRatio;
			const r = await repos.paperLedger.closePosition({
				positionId: o.positionId,
				price: o.price,
				fee,
				exitReason: o.exitReason,
				closedAt: o.atMs,
				mode: 'PAPER',
			});
			return { broker: 'paper', ...r, fee };
		},
	};
}
