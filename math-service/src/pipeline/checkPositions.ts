/**
 * @module pipeline/checkPositions
 * The position watcher: applies each open paper position's exits at the current price.
 * - price ≤ stop → exit "stop"; price ≥ target → exit "target" (the stop wins if both, the
 *   conservative reading of one price);
 * - otherwise age = now − opened ≥ `time_stop_hours` (48 h) → exit "time_stop" (seed 1: close if
 *   the target was not reached);
 * - no price (none in the request, no stored candle) → left open and listed under `skipped`.
 * The price is the request's `prices[symbol]`, else the latest stored candle close. Exits fill at
 * that price (a gap through the stop fills below it, as a market order would) with the paper fee.
 * Each exit writes the trade-log row (pnl net of fees, return_ratio) that feeds the Kelly stats.
 */
import type { Pipeline } from './createPipeline.js';
import { latestClose, loadAccountState } from './accountState.js';
import type { Thresholds } from './thresholds.js';

export interface CheckPositionsInput {
	nowMs?: number;
	prices?: Record<string, number>;
	thresholds: Thresholds;
}

export interface ClosedPosition {
	position_id: number;
	symbol: string;
	strategy: string;
	exit_reason: 'stop' | 'target' | 'time_stop';
	entry_price: number;
	exit_price: number;
	quantity: number;
	pnl: number;
	return_ratio: number;
	fees: number;
	trade_id: number;
	held_hours: number;
}

export interface CheckPositionsResult {
	checked_at: string;
	checked: number;
	closed: ClosedPosition[];
	still_open: { position_id: number; symbol: string; price: number; price_source: 'request' | 'candle'; age_hours: number }[];
	skipped: { position_id: number; symbol: string; reason: string }[];
}

export async function checkPositions(p: Pipeline, input: CheckPositionsInput): Promise<CheckPositionsResult> {
	const storage = p.storage;
	const prices = input.prices ?? {};
	const t = input.thresholds;
	return p.serialize(() =>
		storage.transaction(async (tx) => {
			const nowMs = input.nowMs ?? p.now();
			const open = await tx.paperLedger.openPositions();
			const broker = p.paperBroker(t.feeRatio);
			const result: CheckPositionsResult = { checked_at: new Date(nowMs).toISOString(), checked: open.length, closed: [], still_open: [], skipped: [] };
			for (const pos of open) {
				const fromRequest = prices[pos.symbol];
				const price = fromRequest ?? (await latestClose(tx, pos.symbol));
				const ageMs = nowMs - pos.openedAt;
				if (price === null || !Number.isFinite(price) || price <= 0) {
					result.skipped.push({ position_id: pos.id, symbol: pos.symbol, reason: 'no price: none in the request and no stored candle' });
					continue;
				}
				let exitReason: ClosedPosition['exit_reason'] | null = null;
				if (pos.stopPrice !== null && price <= pos.stopPrice) exitReason = 'stop';
				else if (pos.targetPrice !== null && price >= pos.targetPrice) exitReason = 'target';
				else if (ageMs >= t.timeStopMs) exitReason = 'time_stop';
				if (exitReason === null) {
					result.still_open.push({ position_id: pos.id, symbol: pos.symbol, price, price_source: fromRequest !== undefined ? 'request' : 'candle', age_hours: ageMs / 3_600_000 });
					continue;
				}
				const exit = await broker.closeLong(tx, { positionId: pos.id, price, exitReason, atMs: nowMs });
				result.closed.push({
					position_id: pos.id,
					symbol: pos.symbol,
					strategy: pos.strategy,
					exit_reason: exitReason,
					entry_price: pos.entryPrice,
					exit_price: price,
					quantity: pos.quantity,
					pnl: exit.trade.pnl,
					return_ratio: exit.trade.returnRatio,
					fees: exit.trade.fees,
					trade_id: exit.trade.id,
					held_hours: ageMs / 3_600_000,
				});
			}
			if (open.length > 0) {
				const after = await loadAccountState(tx, nowMs, prices);
				await tx.equitySnapshots.record({ takenAt: nowMs, equity: after.equity });
			}
			return result;
		}),
	);
}
