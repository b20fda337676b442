import { describe, expect, it } from 'vitest';
import { countGateHits } from './countGateHits.js';

const receipt = (gates: [string, boolean][]) => JSON.stringify({ gates: gates.map(([name, passed]) => ({ name, passed })) });

describe('countGateHits', () => {
	it('counts every failed gate of every receipt, and each rejection once by its reason', () => {
		const hits = countGateHits([
			{ status: 'approved', reasonCode: 'approved', receiptJson: receipt([['dailyDrawdownHalt', true], ['portfolioHeat', true]]) },
			{ status: 'rejected', reasonCode: 'operator_halt', receiptJson: receipt([['operatorHalt', false], ['portfolioHeat', false]]) },
			{ status: 'rejected', reasonCode: 'operator_halt', receiptJson: receipt([['operatorHalt', false]]) },
			{ status: 'rejected', reasonCode: 'stale', receiptJson: receipt([['staleness', false]]) },
			{ status: 'rejected', reasonCode: null, receiptJson: 'not json' },
		]);
		expect(hits).toEqual({
			decisions: 5,
			approved: 1,
			rejected: 4,
			by_gate: { operatorHalt: 2, portfolioHeat: 1, staleness: 1 },
			by_reason: { operator_halt: 2, rejected: 1, stale: 1 },
			unreadable: 1,
		});
		expect(Object.keys(hits.by_gate)).toEqual(['operatorHalt', 'portfolioHeat', 'staleness']);
	});

	it('is all zeros for a day without decisions', () => {
		expect(countGateHits([])).toEqual({ decisions: 0, approved: 0, rejected: 0, by_gate: {}, by_reason: {}, unreadable: 0 });
	});
});
