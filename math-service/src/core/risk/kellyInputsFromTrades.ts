/**
 * @module risk/kellyInputsFromTrades
 * Kelly's inputs (win rate p, average win, average loss) from the strategy's recorded closed trades,
 * or from a configured prior while the record is too short to trust.
 *
 * - A trade is a win when pnl > 0 and a loss when pnl < 0; a break-even trade counts in n (it lowers
 *   the win rate) but in neither average.
 * - avgWin = mean returnRatio of wins; avgLoss = mean |returnRatio| of losses (per-trade returns on
 *   the position, 0.03 = 3 %), so b = avgWin/avgLoss is the payoff ratio.
 * - n < minSample (default 30) → the prior is used, and `note` says so with n.
 * - With n ≥ minSample but no wins or no losses, b is undefined; Kelly then depends on p only
 *   (p = 0 → no edge for any b; p = 1 → f* = 1 for any b), so the missing average is set equal to
 *   the other (b = 1) and the note says so. A sample with neither (all break-even) uses the prior.
 *
 * Feed the result to `kellyPosition` (core/kelly) for the fractional Kelly size.
 */
import { InvalidInputError } from '../../errors.js';
import { validateKellyInput, type KellyInput } from '../kelly/index.js';

export interface RecordedTrade {
	/** Realised profit and loss in account currency (sign decides win/loss). */
	pnl: number;
	/** Realised return on the position's notional, 0.03 = +3 %. */
	returnRatio: number;
}

export interface KellyInputsOptions {
	/** Trades needed before the record replaces the prior; default 30. */
	minSample?: number;
	prior: KellyInput;
}

export interface KellyInputsFromTrades extends KellyInput {
	source: 'recorded' | 'prior';
	/** Number of recorded trades considered. */
	n: number;
	wins: number;
	losses: number;
	note: string;
}

/** A modest prior: 50 % wins at the 1.5 minimum reward/risk (3 % vs 2 %); quarter-Kelly ≈ 4.2 %. */
export const DEFAULT_KELLY_PRIOR: KellyInput = Object.freeze({ winRate: 0.5, avgWin: 0.03, avgLoss: 0.02 });

export function kellyInputsFromTrades(
	trades: readonly RecordedTrade[],
	options: KellyInputsOptions = { prior: DEFAULT_KELLY_PRIOR },
): KellyInputsFromTrades {
	const minSample = options.minSample ?? 30;
	if (!Number.isInteger(minSample) || minSample < 1)
		throw new InvalidInputError(`minSample must be an integer ≥ 1 (got ${minSample})`, ['minSample']);
	validateKellyInput(options.prior);
	let wins = 0;
	let losses = 0;
	let winSum = 0;
	let lossSum = 0;
	trades.forEach((t, i) => {
		if (!Number.isFinite(t?.pnl) || !Number.isFinite(t?.returnRatio)) {
			throw new InvalidInputError(`trades[${i}] needs finite pnl and returnRatio`, ['trades', i]);
		}
		if (t.pnl > 0) {
			wins++;
			winSum += Math.abs(t.returnRatio);
		} else if (t.pnl < 0) {
			losses++;
			lossSum += Math.abs(t.returnRatio);
		}
	});
	const n = trades.length;
	const prior = (why: string): KellyInputsFromTrades => ({
		...options.prior,
		source: 'prior',
		n,
		wins,
		losses,
		note: why,
	});
	if (n < minSample) return prior(`${n} recorded trade(s) < minimum sample ${minSample}: using the configured prior`);

	let avgWin = wins > 0 ? winSum / wins : null;
	let avgLoss = losses > 0 ? lossSum / losses : null;
	if ((avgWin === null || avgWin === 0) && (avgLoss === null || avgLoss === 0)) {
		return prior(`${n} recorded trades but no measurable win or loss: using the configured prior`);
	}
	let note = `${n} recorded trades (${wins} wins, ${losses} losses)`;
	if (avgWin === null || avgWin === 0) {
		avgWin = avgLoss!;
		note += '; no winning trades: no edge (payoff ratio set to 1, it does not matter at p = 0)';
	} else if (avgLoss === null || avgLoss === 0) {
		avgLoss = avgWin;
		note += '; no losing trades yet: payoff ratio set to 1 (Kelly = win rate), the cap bounds the size';
	}
	return { winRate: wins / n, avgWin, avgLoss: avgLoss!, source: 'recorded', n, wins, losses, note };
}
