import type { OpenPosition, RiskGateContext } from '../RiskGate.js';

export const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
export const HOUR = 3_600_000;

/** A flat day, 100k equity all in cash, a 2 % BTC candidate at 100 with stop 97 and target 106 (R/R 2). */
export function context(patch: Partial<RiskGateContext> = {}): RiskGateContext {
	return {
		nowMs: NOW,
		equity: 100_000,
		cash: 100_000,
		openPositions: [],
		dayStartEquity: 100_000,
		haltUntilMs: null,
		candidate: { symbol: 'BTC/USDT', entry: 100, stop: 97, target: 106, positionRatio: 0.02, quantity: 20 },
		varPerPositionRatio: 0.04,
		...patch,
	};
}

export function position(patch: Partial<OpenPosition> = {}): OpenPosition {
	return {
		symbol: 'ETH/USDT',
		quantity: 10,
		entryPrice: 1000,
		stopPrice: 970,
		markPrice: 1000,
		openedAtMs: NOW - HOUR,
		...patch,
	};
}
