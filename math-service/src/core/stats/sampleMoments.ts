/**
 * @module sampleMoments
 * Central moments of a return series (mean, Σd², Σd³, Σd⁴ with d = x − x̄) without allocation,
 * numerically stable for series whose mean is large compared with their spread — the case where
 * the textbook "sum of squares minus square of sum" formula cancels catastrophically.
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
 * Mean and summed central moments in two light passes: one for the sum (and the largest |x|),
 * one for the powers of d = x − m about that rough mean, d, d², d³, d⁴; Σd is m's rounding
 * error, and the exact central sums follow by the binomial shift (the "corrected two-pass"
 * algorithm; R's mean() makes the same correction). No division per element, so it is several
 * times faster than a one-pass Welford/Pébay update on a million returns, and it agrees with
 * numpy and R to the last few bits.
 * Source: T. F. Chan, G. H. Golub, R. J. LeVeque, "Algorithms for computing the sample variance:
 * analysis and recommendations", The American Statistician 37(3), 242–247 (1983), eq. 1.7.
 */
export function sampleMoments(values: ArrayLike<number>): SampleMoments {
	const n = values.length;
	if (n === 0) return { n: 0, mean: Number.NaN, m2Sum: 0, m3Sum: 0, m4Sum: 0, maxAbs: 0 };
	let sum = 0;
	let maxAbs = 0;
	for (let i = 0; i < n; i++) {
		const x = values[i];
		sum += x;
		const abs = x < 0 ? -x : x;
		if (abs > maxAbs) maxAbs = abs;
	}
	// Second pass: powers of d = x − m about the rough mean m = sum/n, plus Σd, which is the
	// rounding error of m; the exact central sums follow from the binomial shift by δ = Σd/n.
	const roughMean = sum / n;
	let s1 = 0;
	let s2 = 0;
	let s3 = 0;
	let s4 = 0;
	for (let i = 0; i < n; i++) {
		const d = values[i] - roughMean;
		const d2 = d * d;
		s1 += d;
		s2 += d2;
		s3 += d2 * d;
		s4 += d2 * d2;
	}
	const delta = s1 / n;
	const mean = roughMean + delta;
	const m2 = Math.max(0, s2 - n * delta * delta);
	const m3 = s3 - 3 * delta * s2 + 2 * n * delta * delta * delta;
	const m4 = Math.max(0, s4 - 4 * delta * s3 + 6 * delta * delta * s2 - 3 * n * delta * delta * delta * delta);
	return { n, mean, m2Sum: m2, m3Sum: m3, m4Sum: m4, maxAbs };
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
