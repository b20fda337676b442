/**
 * @module risk/sizePosition
 * Turns a Kelly position ratio into an order: notional = min(max(kelly, 0), cap) × equity, quantity
 * = notional / entry (Kelly's fraction is read as the fraction of equity to hold as notional, as in
 * the seed's `position_pct`). Also returns the decision receipt's size fields: positionPct (0–100),
 * quantity, entry/stop/target, reward/risk and the equity at risk to the stop.
 *
 * Quantity is not rounded to the exchange's lot size; the executor rounds down. Degenerate cases:
 * kelly ≤ 0 (no edge) or equity ≤ 0 → quantity 0 with a `reason`; entry ≤ 0, a non-finite number or
 * a cap outside (0, 1] throws `InvalidInputError`.
 */
import { InvalidInputError } from '../../errors.js';
import { rewardRiskRatio } from './gates/minRewardRisk.js';

export interface SizePositionInput {
	equity: number;
	entry: number;
	stop: number;
	target?: number | null;
	/** Fractional Kelly as a fraction of equity (kellyPosition's `fractionalKelly`). */
	kellyPositionRatio: number;
	/** Cap as a fraction of equity, in (0, 1]; default 0.10 (the seed's 10 % per asset). */
	capRatio?: number;
}

export interface PositionSize {
	/** Notional / equity actually used (fraction). */
	positionRatio: number;
	/** positionRatio × 100 (0–100). */
	positionPct: number;
	quantity: number;
	notional: number;
	entry: number;
	stop: number;
	target: number | null;
	/** (target − entry)/(entry − stop); null without a target or with stop ≥ entry. */
	rewardRisk: number | null;
	/** quantity × (entry − stop) / equity: the equity lost if the stop fills at its level; null when equity ≤ 0. */
	riskToStopRatio: number | null;
	/** True when the cap, not Kelly, set the size. */
	capped: boolean;
	/** Why the size is 0, else null. */
	reason: string | null;
}

export function sizePosition(input: SizePositionInput): PositionSize {
	const { equity, entry, stop, kellyPositionRatio } = input;
	const target = input.target ?? null;
	const capRatio = input.capRatio ?? 0.1;
	for (const [name, v] of Object.entries({ equity, entry, stop, kellyPositionRatio, capRatio, target: target ?? 0 })) {
		if (typeof v !== 'number' || !Number.isFinite(v))
			throw new InvalidInputError(`${name} must be a finite number (got ${String(v)})`, [name]);
	}
	if (entry <= 0) throw new InvalidInputError(`entry must be > 0 (got ${entry})`, ['entry']);
	if (capRatio <= 0 || capRatio > 1)
		throw new InvalidInputError(`capRatio must be in (0, 1], e.g. 0.10 (got ${capRatio})`, ['capRatio']);

	let reason: string | null = null;
	if (equity <= 0) reason = `equity ${equity} ≤ 0`;
	else if (kellyPositionRatio <= 0) reason = 'Kelly ≤ 0: the recorded statistics show no edge';
	const positionRatio = reason === null ? Math.min(kellyPositionRatio, capRatio) : 0;
	const notional = positionRatio * Math.max(0, equity);
	const quantity = notional / entry;
	return {
		positionRatio,
		positionPct: positionRatio * 100,
		quantity,
		notional,
		entry,
		stop,
		target,
		rewardRisk: target === null ? null : rewardRiskRatio(entry, stop, target),
		riskToStopRatio: equity > 0 ? (quantity * Math.max(0, entry - stop)) / equity : null,
		capped: reason === null && kellyPositionRatio > capRatio,
		reason,
	};
}
