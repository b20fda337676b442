/**
 * @module normal
 * Standard normal distribution helpers for parametric and Cornish-Fisher VaR: the quantile
 * (inverse CDF) z_α and the density φ(x). The quantile uses Wichura's rational approximations,
 * accurate to about 1e-16 relative — the same algorithm R's qnorm and scipy's ndtri family use,
 * so parametric VaR agrees with PerformanceAnalytics to ~machine precision.
 */

const A = [
	3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
	45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
	1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
	39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const C = [
	1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
	1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D = [
	1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
	0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
	6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
	0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
	1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
	7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/** Horner evaluation of Σ coeffs[i]·x^i. */
function poly(coeffs: readonly number[], x: number): number {
	let value = coeffs[coeffs.length - 1];
	for (let i = coeffs.length - 2; i >= 0; i--) value = value * x + coeffs[i];
	return value;
}

/**
 * z such that P(Z ≤ z) = p for a standard normal Z. p must lie strictly in (0, 1); 0 and 1
 * give ∓Infinity, anything else NaN (callers validate probabilities first).
 * Source: M. J. Wichura, "Algorithm AS 241: The Percentage Points of the Normal Distribution",
 * Applied Statistics 37(3), 477–484 (1988), PPND16.
 */
export function normalQuantile(p: number): number {
	if (!(p >= 0 && p <= 1)) return Number.NaN;
	if (p === 0) return Number.NEGATIVE_INFINITY;
	if (p === 1) return Number.POSITIVE_INFINITY;
	const q = p - 0.5;
	if (Math.abs(q) <= 0.425) {
		const r = 0.180625 - q * q;
		return (q * poly(A, r)) / poly(B, r);
	}
	let r = q < 0 ? p : 1 - p;
	r = Math.sqrt(-Math.log(r));
	const value = r <= 5 ? poly(C, r - 1.6) / poly(D, r - 1.6) : poly(E, r - 5) / poly(F, r - 5);
	return q < 0 ? -value : value;
}

/** Standard normal density φ(x) = exp(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
	return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}
