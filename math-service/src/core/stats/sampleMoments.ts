/**
 * @module sampleMoments
 * Single-pass central moments of a return series (Welford's mean/variance update extended to the
 * third and fourth moments by Terriberry / Pébay). One pass, no allocation, numerically stable
 * for series whose mean is large compared with their spread — the case where the textbook
 * "sum of squares minus square of sum" formula cancels catastrophically.
 */

export interface SampleMoments {
	/** Number of observations. */
	n: number;
	/** Arithmetic mean (NaN when n = 0). */
	mean: number;
	/** Sum of squared deviations from the mean, Σ(x−x̄)². */
	m2Sum: number;
	/** Sum of cubed deviations, Σ(x−x̄)³. */
	m3Sum: number;
	/** Sum of fourth-power deviations, Σ(x−x̄)⁴. */
	m4Sum: number;
	/** Largest |x| (0 when n = 0); the scale against which rounding noise is judged. */
	maxAbs: number;
}

/**
 * Mean and summed central moments in one pass.
 * Source: P. Pébay, "Formulas for robust, one-pass parallel computation of covariances and
 * arbitrary-order statistical moments", Sandia SAND2008-6212 (2008), eq. 2.1–2.3.
 */
export function sampleMoments(values: ArrayLike<number>): SampleMoments {
	let n = 0;
	let mean = 0;
	let m2 = 0;
	let m3 = 0;
	let m4 = 0;
	let maxAbs = 0;
	for (let i = 0; i < values.length; i++) {
		const x = values[i];
		const abs = x < 0 ? -x : x;
		if (abs > maxAbs) maxAbs = abs;
		const n1 = n;
		n++;
		const delta = x - mean;
		const deltaN = delta / n;
		const deltaN2 = deltaN * deltaN;
		const term1 = delta * deltaN * n1;
		mean += deltaN;
		m4 += term1 * deltaN2 * (n * n - 3 * n + 3) + 6 * deltaN2 * m2 - 4 * deltaN * m3;
		m3 += term1 * deltaN * (n - 2) - 3 * deltaN * m2;
		m2 += term1;
	}
	return { n, mean: n === 0 ? Number.NaN : mean, m2Sum: m2, m3Sum: m3, m4Sum: m4, maxAbs };
}

/**
 * Relative size below which a standard deviation is treated as floating-point noise: a spread
 * under 1e-10 of the largest absolute return cannot be told apart from rounding error in the
 * mean (a constant 0.001 series has a computed std of ~1e-19, which would give a Sharpe of 1e16).
 */
export const NOISE_RELATIVE_STD = 1e-10;

/** True when `std` is zero or indistinguishable from rounding noise at scale `maxAbs`. */
export function isNoiseStd(std: number, maxAbs: number): boolean {
	return !(std > NOISE_RELATIVE_STD * maxAbs) || std === 0;
}

/** Sample standard deviation with ddof = 1 (NaN when n < 2). */
export function sampleStd(moments: SampleMoments): number {
	return moments.n < 2 ? Number.NaN : Math.sqrt(moments.m2Sum / (moments.n - 1));
}
