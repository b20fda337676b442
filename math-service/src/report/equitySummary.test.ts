import { describe, expect, it } from 'vitest';
import { equitySummary } from './equitySummary.js';

const HOUR = 3_600_000;
const times = Float64Array.from({ length: 1000 }, (_, i) => i * HOUR);

describe('equitySummary', () => {
	it('keeps at most maxPoints points including the first and the last bar close', () => {
		const equity = Float64Array.from({ length: 1000 }, (_, i) => 100 + i);
		const s = equitySummary(equity, times, 0, HOUR, 100, 50);
		expect(s.points.length).toBeLessThanOrEqual(50);
		expect(s.points[0]).toEqual({ time: '1970-01-01T01:00:00Z', equity: 100 });
		expect(s.points.at(-1)).toEqual({ time: new Date(1000 * HOUR).toISOString().replace('.000Z', 'Z'), equity: 1099 });
		expect(s.final_equity).toBe(1099);
		expect(s.max_drawdown_ratio).toBe(0);
	});

	it('measures the drawdown on every bar, not only on the sampled points', () => {
		const equity = new Float64Array(1000).fill(100);
		equity[500] = 120;
		equity[501] = 60; // a one-bar crash inside a bucket
		const s = equitySummary(equity, times, 0, HOUR, 100, 10);
		expect(s.max_drawdown_ratio).toBeCloseTo(0.5, 12);
		expect(s.peak_equity).toBe(120);
		expect(s.min_equity).toBe(60);
	});
});
