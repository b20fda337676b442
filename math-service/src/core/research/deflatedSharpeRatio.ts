/**
 * @module research/deflatedSharpeRatio
 * Overfitting guard for the best result of a parameter sweep: the Deflated Sharpe Ratio (DSR) is
 * the probability that the true Sharpe ratio of the selected strategy is above zero after
 * accounting for (a) how many configurations were tried — the best of N lucky draws is expected to
 * have a Sharpe of SR₀ > 0 even when no configuration has an edge — and (b) the track record's
 * length, skewness and fat tails, which widen the Sharpe ratio's sampling error.
 *
 * SR₀ = √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))      (expected maximum of N Sharpe ratios)
 * DSR = Φ( (SR̂ − SR₀) √(T − 1) / √(1 − γ₃ SR̂ + (γ₄ − 1)/4 · SR̂²) )
 * with SR̂ the observed per-period Sharpe, T the number of returns, γ₃ skewness, γ₄ kurtosis
 * (3 for a normal), N the number of trials, V the variance of the trials' per-period Sharpe
 * ratios, γ ≈ 0.5772 the Euler–Mascheroni constant. N = 1 gives SR₀ = 0 (the Probabilistic Sharpe
 * Ratio against 0).
 * Source: D. H. Bailey, M. López de Prado, "The Deflated Sharpe Ratio: Correcting for Selection
 * Bias, Backtest Overfitting and Non-Normality", Journal of Portfolio Management 40(5), 2014, eq. 2
 * and the worked example (SR 2.5 a year, T 1250, γ₃ −3, γ₄ 10, N 100, V 0.5/yr → DSR ≈ 0.90).
 */

import { normalQuantile } from '../stats/normal.js';

const EULER_GAMMA = 0.5772156649015329;

/**
 * Standard normal CDF Φ(x), double precision (~1e-14 absolute).
 * Source: J. F. Hart et al., "Computer Approximations" (1968), algorithm 5666, as given by
 * G. West, "Better approximations to cumulative normal functions", Wilmott Magazine (2005).
 */
export function normalCdf(x: number): number {
	if (Number.isNaN(x)) return Number.NaN;
	const z = Math.abs(x);
	let c: number;
	if (z > 37) c = 0;
	else {
		const e = Math.exp(-0.5 * z * z);
		if (z < 7.07106781186547) {
			let num = 3.52624965998911e-2 * z + 0.700383064443688;
			num = num * z + 6.37396220353165;
			num = num * z + 33.912866078383;
			num = num * z + 112.079291497871;
			num = num * z + 221.213596169931;
			num = num * z + 220.206867912376;
			let den = 8.83883476483184e-2 * z + 1.75566716318264;
			den = den * z + 16.064177579207;
			den = den * z + 86.7807322029461;
			den = den * z + 296.564248779674;
			den = den * z + 637.333633378831;
			den = den * z + 793.826512519948;
			den = den * z + 440.413735824752;
			c = (e * num) / den;
		} else {
			let b = z + 0.65;
			b = z + 4 / b;
			b = z + 3 / b;
			b = z + 2 / b;
			b = z + 1 / b;
			c = e / b / 2.506628274631;
		}
	}
	return x > 0 ? 1 - c : c;
}

/** Expected maximum per-period Sharpe of `trials` unskilled strategies with Sharpe variance `variance` (SR₀). */
export function expectedMaxSharpe(trials: number, variance: number): number {
	if (trials <= 1) return 0;
	const z1 = normalQuantile(1 - 1 / trials);
	const z2 = normalQuantile(1 - 1 / (trials * Math.E));
	return Math.sqrt(Math.max(0, variance)) * ((1 - EULER_GAMMA) * z1 + EULER_GAMMA * z2);
}

export interface DeflatedSharpeInput {
	/** Observed Sharpe ratio per period (not annualised). */
	sharpeRatio: number;
	/** Number of returns behind it. */
	periods: number;
	skewness: number;
	/** Kurtosis, not excess (a normal distribution has 3). */
	kurtosis: number;
	/** Number of configurations tried (independent trials). */
	trials: number;
	/** Variance of the per-period Sharpe ratios across the trials. */
	trialSharpeVariance: number;
}

export interface DeflatedSharpe {
	/** Probability that the true Sharpe exceeds 0 after deflation, in [0, 1]. */
	deflatedSharpeRatio: number;
	/** SR₀: the per-period Sharpe the best of `trials` would show by luck alone. */
	expectedMaxSharpe: number;
}

/**
 * The DSR of the formula in the module header. Null when it is undefined: fewer than 2 periods,
 * non-finite inputs, or a non-positive variance term under the square root (extreme skew).
 */
export function deflatedSharpeRatio(i: DeflatedSharpeInput): DeflatedSharpe | null {
	const { sharpeRatio: sr, periods: t, skewness, kurtosis } = i;
	if (!(t >= 2) || ![sr, skewness, kurtosis, i.trials, i.trialSharpeVariance].every(Number.isFinite)) return null;
	const sr0 = expectedMaxSharpe(i.trials, i.trialSharpeVariance);
	const denom = 1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr;
	if (!(denom > 0)) return null;
	return { deflatedSharpeRatio: normalCdf(((sr - sr0) * Math.sqrt(t - 1)) / Math.sqrt(denom)), expectedMaxSharpe: sr0 };
}
