/**
 * @module kellyFraction
 * Kelly criterion for a repeated bet with two outcomes: win `avgWin` with probability p, lose
 * `avgLoss` otherwise. The growth-optimal fraction of capital to risk is f* = p − (1−p)/b with
 * payoff ratio b = avgWin/avgLoss. f* ≤ 0 means the bet has no edge (the sizer then takes no
 * position); f* is returned unclipped so callers can see how far from an edge they are.
 */
import { InvalidInputError } from '../../errors.js';

export interface KellyInput {
	/** Probability of a winning trade, in [0, 1]. */
	winRate: number;
	/** Average win per trade, a positive amount (any unit, the same as avgLoss). */
	avgWin: number;
	/** Average loss per trade as a positive magnitude (same unit as avgWin). */
	avgLoss: number;
}

/**
 * Full (1×) Kelly fraction f* = p − (1 − p)/b, b = avgWin/avgLoss.
 * Units: a fraction of capital (0.10 = stake 10 %); may be negative (no edge) and is not capped.
 * Degenerate cases: winRate 1 gives f* = 1; winRate 0 gives −1/b. Invalid input (winRate outside
 * [0, 1], avgWin ≤ 0, avgLoss ≤ 0, any non-finite value) throws `InvalidInputError`.
 * Example: p = 0.55, b = 1 → f* = 0.55 − 0.45 = 0.10.
 * Source: J. L. Kelly, "A New Interpretation of Information Rate", Bell System Technical Journal
 * 35(4), 917–926 (1956); E. O. Thorp, "The Kelly criterion in blackjack, sports betting and the
 * stock market" (2006), §2.
 */
export function kellyFraction(input: KellyInput): number {
	validateKellyInput(input);
	const payoffRatio = input.avgWin / input.avgLoss;
	return input.winRate - (1 - input.winRate) / payoffRatio;
}

/** Throws `InvalidInputError` naming the field to fix. */
export function validateKellyInput(input: KellyInput): void {
	if (input === null || typeof input !== 'object') {
		throw new InvalidInputError('Kelly input must be an object {winRate, avgWin, avgLoss}', []);
	}
	const { winRate, avgWin, avgLoss } = input;
	if (typeof winRate !== 'number' || !Number.isFinite(winRate) || winRate < 0 || winRate > 1) {
		throw new InvalidInputError(
			`winRate must be a probability in [0, 1] (got ${String(winRate)}); pass 0.55 for 55 %`,
			['winRate'],
		);
	}
	if (typeof avgWin !== 'number' || !Number.isFinite(avgWin) || avgWin <= 0) {
		throw new InvalidInputError(`avgWin must be a finite number > 0 (got ${String(avgWin)})`, ['avgWin']);
	}
	if (typeof avgLoss !== 'number' || !Number.isFinite(avgLoss) || avgLoss <= 0) {
		throw new InvalidInputError(
			`avgLoss must be a finite positive magnitude > 0 (got ${String(avgLoss)}); pass 0.02, not -0.02`,
			['avgLoss'],
		);
	}
}
