/**
 * @module valueAtRisk
 * Value at Risk and Conditional VaR (expected shortfall) of a return series, as positive loss
 * fractions (0.031 = a 3.1 % loss). VaR at confidence c is the loss that the next period's return
 * stays above with probability c; CVaR is the average loss in the remaining (1 − c) tail, so
 * CVaR ≥ VaR and it sees how bad the bad days are, not just where they start.
 *
 * Three estimators:
 * - historical: the empirical (1 − c) quantile of the observed returns (no distribution assumed);
 * - parametric: a Gaussian with the sample mean and (population) standard deviation;
 * - cornish_fisher: the Gaussian quantile corrected for skewness and excess kurtosis (the
 *   "modified VaR" of Zangari 1996 / Favre & Galeano 2002), which fattens the loss tail of
 *   crypto-like returns. Its polynomial can put the tail quantile on the gain side for strongly
 *   skewed samples; the number is then meaningless and is reported as null with a reason.
 *
 * Horizon scaling: every method computes the 1-period figure and multiplies VaR and CVaR by √h
 * (square-root-of-time rule, exact for i.i.d. zero-mean Gaussian returns, a convention
 * otherwise — Basel's 10-day rule). For historical VaR the same √h factor is applied to the
 * 1-period empirical quantile; overlapping h-period windows are not resampled.
 */
import { InvalidInputError } from '../../errors.js';
import {
	isNoiseStd,
	lerp,
	minFrom,
	normalPdf,
	normalQuantile,
	sampleMoments,
	selectKth,
	validateReturns,
} from '../stats/index.js';

export type VarMethod = 'historical' | 'parametric' | 'cornish_fisher';
export const VAR_METHODS: readonly VarMethod[] = ['historical', 'parametric', 'cornish_fisher'];

export interface VarResult {
	/** VaR over the horizon, a loss fraction; negative = even the tail quantile is a gain. */
	var: number | null;
	/** CVaR (expected shortfall) over the horizon, a loss fraction. */
	cvar: number | null;
	method: VarMethod;
	confidence: number;
	horizon: number;
	/** Why var or cvar is null; null when both are numbers. */
	reason: string | null;
}

export interface VarOptions {
	/** Confidence level in (0, 1); default 0.95. */
	confidence?: number;
	/** Estimator; default 'historical'. */
	method?: VarMethod;
	/** Horizon in periods, ≥ 1; default 1. */
	horizon?: number;
}

interface OnePeriod {
	var: number | null;
	cvar: number | null;
	reason: string | null;
}

/**
 * VaR and CVaR of `returns` (simple per-period returns) at `confidence`, over `horizon` periods.
 * With α = 1 − confidence:
 * - historical: VaR = −Q_α(r), Q the linear-interpolated quantile (numpy's percentile, index
 *   h = (n−1)·α); CVaR = −mean of the k+1 smallest returns, k = ⌊(n−1)·α⌋ (empyrical's
 *   value_at_risk / conditional_value_at_risk cut-off convention, so the VaR return itself is
 *   inside the tail).
 * - parametric: VaR = −(μ + z_α·σ), CVaR = −μ + σ·φ(z_α)/α, μ the mean and σ the population
 *   standard deviation (ddof = 0, as PerformanceAnalytics' VaR/ES method "gaussian").
 * - cornish_fisher: z_cf = z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36 with S the skewness and
 *   K the excess kurtosis (population moments); VaR = −(μ + z_cf·σ); CVaR is PerformanceAnalytics'
 *   operational modified ES: −μ − σ·min(−E/α, z_cf) with
 *   E = φ(z_cf)·(1 + z_cf³S/6 + (z_cf⁶ − 9z_cf⁴ + 9z_cf² + 3)S²/72 + (z_cf⁴ − 2z_cf² − 1)K/24),
 *   which never reports CVaR below VaR.
 * Each is then multiplied by √horizon.
 * Units: loss fractions per horizon (0.031 = 3.1 % loss).
 * Degenerate cases: empty series → both null with a reason. One return or zero variance:
 * historical and parametric give −r (a point mass). Cornish-Fisher needs skewness and kurtosis,
 * which are 0/0 when σ is zero or floating-point noise (≤ 1e-10 of the largest |return|): both
 * null with a reason (PerformanceAnalytics returns NaN there).
 * Cornish-Fisher VaR < 0 (its quantile is a gain) → var null + reason; CF CVaR < 0 or not finite →
 * cvar null + reason (PerformanceAnalytics returns NA there, "inverse risk"). Unlike
 * PerformanceAnalytics, results above 1 (a modelled loss beyond 100 %) are reported, not clamped.
 * Invalid input throws `InvalidInputError`: non-finite return (loc ['returns', i]),
 * confidence outside (0, 1), unknown method, horizon < 1 or non-finite.
 * Sources: empyrical.value_at_risk / conditional_value_at_risk (quantopian/empyrical stats.py);
 * PerformanceAnalytics R/PortfolioRisk.R VaR.Gaussian, ES.Gaussian, VaR.CornishFisher,
 * operES.CornishFisher (braverock/PerformanceAnalytics 2.1.0); L. Favre and J.-A. Galeano,
 * "Mean-Modified Value-at-Risk Optimization with Hedge Funds", J. of Alternative Investments
 * 5(2), 2002; Boudt, Peterson & Croux, "Estimation and decomposition of downside risk for
 * portfolios with non-normal returns", J. of Risk 11(2), 2008.
 */
export function valueAtRisk(returns: ArrayLike<number>, options: VarOptions = {}): VarResult {
	validateReturns(returns);
	const confidence = options.confidence ?? 0.95;
	const method = options.method ?? 'historical';
	const horizon = options.horizon ?? 1;
	if (typeof confidence !== 'number' || !Number.isFinite(confidence) || confidence <= 0 || confidence >= 1) {
		throw new InvalidInputError(
			`confidence must be strictly between 0 and 1, e.g. 0.95 or 0.99 (got ${String(confidence)})`,
			['confidence'],
		);
	}
	if (!VAR_METHODS.includes(method)) {
		throw new InvalidInputError(`method must be one of ${VAR_METHODS.join(', ')} (got ${String(method)})`, [
			'method',
		]);
	}
	if (typeof horizon !== 'number' || !Number.isFinite(horizon) || horizon < 1) {
		throw new InvalidInputError(`horizon must be a number of periods ≥ 1 (got ${String(horizon)})`, ['horizon']);
	}
	const base = { method, confidence, horizon };
	if (returns.length === 0) {
		return { ...base, var: null, cvar: null, reason: 'no returns: VaR needs at least one return' };
	}
	const alpha = 1 - confidence;
	const onePeriod =
		method === 'historical'
			? historical(returns, alpha)
			: method === 'parametric'
				? parametric(returns, alpha)
				: cornishFisher(returns, alpha, confidence);
	const scale = Math.sqrt(horizon);
	return {
		...base,
		var: onePeriod.var === null ? null : onePeriod.var * scale,
		cvar: onePeriod.cvar === null ? null : onePeriod.cvar * scale,
		reason: onePeriod.reason,
	};
}

/** Empirical quantile and tail mean with one quickselect on a Float64Array copy. */
function historical(returns: ArrayLike<number>, alpha: number): OnePeriod {
	const n = returns.length;
	const scratch = Float64Array.from(returns);
	const h = (n - 1) * alpha;
	const k = Math.floor(h);
	const low = selectKth(scratch, k);
	const high = k + 1 < n ? minFrom(scratch, k + 1) : low;
	const quantile = lerp(low, high, h - k);
	// After selection scratch[0..k] holds the k+1 smallest returns.
	let tailSum = 0;
	for (let i = 0; i <= k; i++) tailSum += scratch[i];
	return { var: -quantile, cvar: -tailSum / (k + 1), reason: null };
}

/** Mean, population σ (ddof = 0), skewness and excess kurtosis (NaN when σ is noise). */
function populationMoments(returns: ArrayLike<number>) {
	const moments = sampleMoments(returns);
	const variance = moments.m2Sum / moments.n;
	const sigma = Math.sqrt(variance);
	const noise = isNoiseStd(sigma, moments.maxAbs);
	return {
		mean: moments.mean,
		sigma,
		noise,
		skewness: noise ? Number.NaN : moments.m3Sum / moments.n / Math.pow(variance, 1.5),
		excessKurtosis: noise ? Number.NaN : moments.m4Sum / moments.n / (variance * variance) - 3,
	};
}

function parametric(returns: ArrayLike<number>, alpha: number): OnePeriod {
	const { mean, sigma } = populationMoments(returns);
	const z = normalQuantile(alpha);
	return { var: -mean - z * sigma, cvar: -mean + (normalPdf(z) * sigma) / alpha, reason: null };
}

function cornishFisher(returns: ArrayLike<number>, alpha: number, confidence: number): OnePeriod {
	const { mean, sigma, noise, skewness: s, excessKurtosis: k } = populationMoments(returns);
	if (noise) {
		return {
			var: null,
			cvar: null,
			reason:
				'Cornish-Fisher VaR undefined: the returns have zero variance (or only rounding noise), so skewness and kurtosis are 0/0 — use method "historical" or "parametric"',
		};
	}
	const z = normalQuantile(alpha);
	const zCf =
		z + ((z * z - 1) * s) / 6 + ((z * z * z - 3 * z) * k) / 24 - ((2 * z * z * z - 5 * z) * s * s) / 36;
	const h2 = zCf * zCf;
	const h4 = h2 * h2;
	const expectedTail =
		normalPdf(zCf) *
		(1 + (h2 * zCf * s) / 6 + ((h4 * h2 - 9 * h4 + 9 * h2 + 3) * s * s) / 72 + ((h4 - 2 * h2 - 1) * k) / 24);
	const varValue = -mean - zCf * sigma;
	const cvarValue = -mean - sigma * Math.min(-expectedTail / alpha, zCf);
	const pct = `${(confidence * 100).toPrecision(4).replace(/\.?0+$/, '')}%`;
	const reasons: string[] = [];
	let outVar: number | null = varValue;
	let outCvar: number | null = cvarValue;
	if (!Number.isFinite(varValue) || varValue < 0) {
		outVar = null;
		reasons.push(
			`Cornish-Fisher VaR undefined: the ${pct} skewness/kurtosis-adjusted quantile is a gain (${formatSigned(-varValue)}), not a loss; the expansion is unreliable for this skewness (${s.toFixed(3)}) and excess kurtosis (${k.toFixed(3)}) — use method "historical"`,
		);
	}
	if (!Number.isFinite(cvarValue) || cvarValue < 0) {
		outCvar = null;
		reasons.push(
			`Cornish-Fisher CVaR undefined: the modified expected shortfall is ${Number.isFinite(cvarValue) ? `a gain (${formatSigned(-cvarValue)})` : 'not finite'}`,
		);
	}
	return { var: outVar, cvar: outCvar, reason: reasons.length > 0 ? reasons.join('; ') : null };
}

function formatSigned(value: number): string {
	return `${value >= 0 ? '+' : ''}${(value * 100).toPrecision(3)}%`;
}
