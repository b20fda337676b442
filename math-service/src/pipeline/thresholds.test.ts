import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, resolveThresholds, riskGateConfigsOf, ThresholdsSchema, thresholdsFromQuery, thresholdsToWire } from './thresholds';

describe('thresholds', () => {
	it('defaults to the seed risk table', () => {
		const t = resolveThresholds();
		expect(t).toMatchObject({ kellyFraction: 0.25, maxPositionRatio: 0.1, maxHeatRatio: 0.3, minRewardRisk: 1.5, maxDailyDrawdownRatio: 0.05, haltMs: 86_400_000, timeStopMs: 172_800_000, maxLagMs: 60_000, feeRatio: 0.001 });
		expect(t.kellyPrior).toEqual({ winRate: 0.5, avgWin: 0.03, avgLoss: 0.02 });
		expect(riskGateConfigsOf(t)).toMatchObject({ portfolioHeat: { maxHeatRatio: 0.3 }, maxPositionPerAsset: { maxPositionRatio: 0.1 }, timeStop: { maxHoldMs: 172_800_000 } });
	});

	it('reads flat query parameters with numbers, booleans, tiers and dotted nested names', () => {
		const q = thresholdsFromQuery({ kelly_fraction: '0.5', allow_resize: 'false', tier1: 'BTC, eth', 'kelly_prior.win_rate': '0.6', 'kelly_prior.avg_win': '2', 'kelly_prior.avg_loss': '1', 'llm.model': 'glm-5:cloud', unknown: '1', strategy: '123' });
		expect(q).toEqual({ kelly_fraction: 0.5, allow_resize: false, whitelist: { tier1: 'BTC, eth' }, kelly_prior: { win_rate: 0.6, avg_win: 2, avg_loss: 1 }, llm: { model: 'glm-5:cloud' }, strategy: '123' });
		const t = resolveThresholds(ThresholdsSchema.parse(q));
		expect(t.whitelist.tier1).toEqual(['BTC', 'ETH']);
		expect(t.allowResize).toBe(false);
	});

	it('refuses out-of-range and unknown fields', () => {
		expect(ThresholdsSchema.safeParse({ kelly_fraction: 0 }).success).toBe(false);
		expect(ThresholdsSchema.safeParse({ max_heat_ratio: 1.5 }).success).toBe(false);
		expect(ThresholdsSchema.safeParse({ nope: 1 }).success).toBe(false);
		expect(ThresholdsSchema.safeParse({ llm: { host: 'http://evil' } }).success).toBe(false);
	});

	it('round-trips to the wire form shown on the receipt', () => {
		const wire = thresholdsToWire(DEFAULT_THRESHOLDS);
		expect(wire).toMatchObject({ max_lag_seconds: 60, halt_hours: 24, time_stop_hours: 48, kelly_prior: { win_rate: 0.5, avg_win: 0.03, avg_loss: 0.02 } });
		expect(resolveThresholds(ThresholdsSchema.parse(wire))).toEqual({ ...DEFAULT_THRESHOLDS, whitelist: {} });
	});
});
