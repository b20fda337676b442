/**
 * @module research/probabilityOfBacktestOverfitting
 * Probability of Backtest Overfitting (PBO) by Combinatorially Symmetric Cross-Validation (CSCV):
 * cut the common time range into S equal blocks; for every way of choosing S/2 blocks as in-sample
 * (the rest out-of-sample), pick the configuration with the best in-sample Sharpe and see where it
 * ranks out of sample. PBO is the fraction of splits in which the in-sample winner lands at or below
 * the out-of-sample median (logit λ ≤ 0): the chance that choosing the best backtest picks a
 * configuration that is no better than a typical one on unseen data. 0 is good, 0.5 is noise.
 *
 * Works on per-block sums (Σr, Σr², bar count) of each configuration's per-bar returns, so the
 * Sharpe of any union of blocks is exact without keeping the T × N return matrix in memory.
 * A configuration whose returns have zero variance in a split (no trades) scores Sharpe 0. Rank ties
 * out of sample take the average rank. Rank ω = rank / (N + 1), λ = ln(ω / (1 − ω)).
 * Source: D. H. Bailey, J. M. Borwein, M. López de Prado, Q. J. Zhu, "The Probability of Backtest
 * Overfitting", Journal of Computational Finance 20(4), 2017, §2 (CSCV algorithm).
 */

import { InvalidInputError } from '../../errors.js';

export interface BlockReturnSums {
	/** Blocks S (even, ≥ 2). */
	count: number;
	/** Row-major [configuration][block] Σr. */
	sum: Float64Array;
	/** Row-major [configuration][block] Σr². */
	sumSquares: Float64Array;
	/** Bars per block. */
	periods: Float64Array;
}

export interface PboResult {
	/** Fraction of splits with λ ≤ 0. */
	pbo: number;
	splits: number;
	configurations: number;
	/** Mean logit over the splits (positive = the in-sample winner tends to stay above the median). */
	meanLogit: number;
}

function sharpeOf(s1: number, s2: number, n: number): number {
	if (n < 2) return 0;
	const mean = s1 / n;
	const variance = (s2 - s1 * mean) / (n - 1);
	return variance > 0 ? mean / Math.sqrt(variance) : 0;
}

/** PBO by CSCV over all C(S, S/2) splits; see the module header. */
export function probabilityOfBacktestOverfitting(blocks: BlockReturnSums): PboResult {
	const s = blocks.count;
	if (!(Number.isInteger(s) && s >= 2 && s % 2 === 0 && s <= 24)) throw new InvalidInputError('CSCV needs an even block count between 2 and 24', ['blockCount']);
	const configs = blocks.sum.length / s;
	if (!(configs >= 2 && Number.isInteger(configs))) throw new InvalidInputError('CSCV needs at least 2 configurations', ['configurations']);
	const half = s / 2;
	const inSample = new Float64Array(configs);
	const outSample = new Float64Array(configs);
	let splits = 0;
	let overfit = 0;
	let logitSum = 0;
	for (let mask = 0; mask < 1 << s; mask++) {
		let bits = 0;
		for (let b = 0; b < s; b++) bits += (mask >>> b) & 1;
		if (bits !== half) continue;
		let nIs = 0;
		let nOos = 0;
		for (let b = 0; b < s; b++) {
			if ((mask >>> b) & 1) nIs += blocks.periods[b];
			else nOos += blocks.periods[b];
		}
		let best = 0;
		for (let c = 0; c < configs; c++) {
			let a1 = 0, a2 = 0, o1 = 0, o2 = 0;
			const base = c * s;
			for (let b = 0; b < s; b++) {
				if ((mask >>> b) & 1) { a1 += blocks.sum[base + b]; a2 += blocks.sumSquares[base + b]; }
				else { o1 += blocks.sum[base + b]; o2 += blocks.sumSquares[base + b]; }
			}
			inSample[c] = sharpeOf(a1, a2, nIs);
			outSample[c] = sharpeOf(o1, o2, nOos);
			if (inSample[c] > inSample[best]) best = c;
		}
		const target = outSample[best];
		let below = 0;
		let equal = 0;
		for (let c = 0; c < configs; c++) {
			if (outSample[c] < target) below++;
			else if (outSample[c] === target) equal++;
		}
		const rank = below + (equal + 1) / 2; // 1-based average rank among ties
		const omega = rank / (configs + 1);
		const logit = Math.log(omega / (1 - omega));
		splits++;
		logitSum += logit;
		if (logit <= 0) overfit++;
	}
	return { pbo: overfit / splits, splits, configurations: configs, meanLogit: logitSum / splits };
}
