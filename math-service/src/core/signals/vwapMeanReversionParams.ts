/**
 * @module vwapMeanReversionParams
 * Inputs of the seed's "VWAP Mean Reversion" strategy (band width, trend filter, stop, minimum
 * reward/risk) with the seed's defaults, shared by the batch series and the live scanner.
 */
import { InvalidInputError } from '../../errors.js';

export interface VwapMeanReversionParams {
	/** Window of the rolling stdev of hlc3 (the seed's misnamed "VWAP Lookback"), bars. Default 50. */
	stdevLength: number;
	/** k: how many stdevs below the VWAP the close must be. Default 2.0. */
	deviationThreshold: number;
	/** Length of the trend-filter EMA of close, bars. Default 50. */
	trendEmaLength: number;
	/** Stop distance below the signal bar's close as a fraction (0.03 = 3%, Pine's `close * 0.97`). */
	stopLossRatio: number;
	/** Minimum reward/risk at entry (target − close)/(close − stop). Default 1.5. */
	minRewardRisk: number;
	/** VWAP session start as an offset from 00:00 UTC in ms; 0 (default) for spot crypto. */
	sessionOffsetMs?: number;
}

export const DEFAULT_VWAP_MEAN_REVERSION: VwapMeanReversionParams = Object.freeze({
	stdevLength: 50,
	deviationThreshold: 2.0,
	trendEmaLength: 50,
	stopLossRatio: 0.03,
	minRewardRisk: 1.5,
	sessionOffsetMs: 0,
});

/** Fills in defaults and validates; throws InvalidInputError naming the bad field. */
export function resolveVwapMeanReversionParams(p: Partial<VwapMeanReversionParams> = {}): VwapMeanReversionParams {
	const r: VwapMeanReversionParams = { ...DEFAULT_VWAP_MEAN_REVERSION, ...p };
	for (const key of ['stdevLength', 'trendEmaLength'] as const) {
		if (!Number.isInteger(r[key]) || r[key] < 1) {
			throw new InvalidInputError(`${key} must be an integer >= 1, got ${r[key]}`, [key]);
		}
	}
	if (!Number.isFinite(r.deviationThreshold) || r.deviationThreshold < 0) {
		throw new InvalidInputError(`deviationThreshold must be a finite number >= 0`, ['deviationThreshold']);
	}
	if (!(r.stopLossRatio > 0 && r.stopLossRatio < 1)) {
		throw new InvalidInputError(`stopLossRatio must be a fraction in (0, 1), e.g. 0.03 for 3%`, ['stopLossRatio']);
	}
	if (!Number.isFinite(r.minRewardRisk) || r.minRewardRisk < 0) {
		throw new InvalidInputError(`minRewardRisk must be a finite number >= 0`, ['minRewardRisk']);
	}
	if (!Number.isFinite(r.sessionOffsetMs ?? 0)) {
		throw new InvalidInputError(`sessionOffsetMs must be finite`, ['sessionOffsetMs']);
	}
	return r;
}

