import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectMatchesReference } from './__fixtures__/compareReference.js';
import { returnMetrics, type ReturnMetrics } from './returnMetrics.js';

interface Fixture {
	provenance: { empyrical: { commit: string } };
	series: { name: string; periodsPerYear: number; returns: number[] }[];
	cases: { name: string; expected: ReturnMetrics }[];
}

const fixture = JSON.parse(
	readFileSync(new URL('./__fixtures__/reference.json', import.meta.url), 'utf8'),
) as Fixture;

const FIELDS: (keyof ReturnMetrics)[] = [
	'totalReturnRatio',
	'cagrRatio',
	'annualVolatilityRatio',
	'sharpeRatio',
	'sortinoRatio',
	'maxDrawdownRatio',
	'maxDrawdownDurationPeriods',
	'calmarRatio',
	'omegaRatio',
	'tailRatio',
];

describe('returnMetrics against empyrical reference values', () => {
	it('has at least 8 reference series with provenance', () => {
		expect(fixture.series.length).toBeGreaterThanOrEqual(8);
		expect(fixture.provenance.empyrical.commit).toMatch(/^[0-9a-f]{40}$/);
	});

	for (const series of fixture.series) {
		const reference = fixture.cases.find((c) => c.name === series.name);
		it(`returns empyrical's numbers for ${series.name} (P = ${series.periodsPerYear})`, () => {
			expect(reference).toBeDefined();
			const metrics = returnMetrics(series.returns, series.periodsPerYear);
			expect(metrics.periods).toBe(reference!.expected.periods);
			for (const field of FIELDS) {
				expectMatchesReference(metrics[field], reference!.expected[field], `${series.name}.${field}`);
			}
		});
	}
});
