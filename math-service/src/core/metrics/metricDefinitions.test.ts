import { describe, expect, it } from 'vitest';
import { METRIC_DEFINITIONS } from './metricDefinitions.js';
import { returnMetrics } from './returnMetrics.js';
import { tradeMetrics } from './tradeMetrics.js';

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe('METRIC_DEFINITIONS', () => {
	it('defines every field returnMetrics and tradeMetrics return, under its snake_case name', () => {
		const fields = [...Object.keys(returnMetrics([0.01, -0.01], 365)), ...Object.keys(tradeMetrics([{ pnl: 1 }]))];
		for (const field of fields) {
			expect(METRIC_DEFINITIONS[snake(field)], snake(field)).toEqual(expect.any(String));
		}
	});

	it('defines the VaR and Kelly outputs', () => {
		for (const key of ['var', 'cvar', 'kelly_fraction', 'fractional_kelly', 'position_pct']) {
			expect(METRIC_DEFINITIONS[key], key).toEqual(expect.any(String));
		}
	});

	it('gives every definition a non-trivial paragraph', () => {
		for (const [key, text] of Object.entries(METRIC_DEFINITIONS)) {
			expect(text.length, key).toBeGreaterThan(30);
		}
	});
});
