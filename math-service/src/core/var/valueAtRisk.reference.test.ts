import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectMatchesReference } from '../metrics/__fixtures__/compareReference.js';
import { valueAtRisk, type VarMethod } from './valueAtRisk.js';

interface Pair {
	var: number | null;
	cvar: number | null;
}
type VarCase = { name: string; confidence: number } & Record<VarMethod, Pair>;

const series = (
	JSON.parse(readFileSync(new URL('../metrics/__fixtures__/reference.json', import.meta.url), 'utf8')) as {
		series: { name: string; returns: number[] }[];
	}
).series;
const fixture = JSON.parse(
	readFileSync(new URL('./__fixtures__/var-reference.json', import.meta.url), 'utf8'),
) as { cases: VarCase[]; provenance: { PerformanceAnalytics: { commit: string } } };

const METHODS: VarMethod[] = ['historical', 'parametric', 'cornish_fisher'];

describe('valueAtRisk against empyrical (historical) and PerformanceAnalytics (parametric, Cornish-Fisher)', () => {
	it('covers at least 8 series at two confidence levels', () => {
		expect(new Set(fixture.cases.map((c) => c.name)).size).toBeGreaterThanOrEqual(8);
		expect(fixture.provenance.PerformanceAnalytics.commit).toMatch(/^[0-9a-f]{40}$/);
	});

	for (const reference of fixture.cases) {
		const returns = series.find((s) => s.name === reference.name)!.returns;
		for (const method of METHODS) {
			it(`returns the reference ${method} VaR/CVaR for ${reference.name} at ${reference.confidence}`, () => {
				const result = valueAtRisk(returns, { confidence: reference.confidence, method });
				const label = `${reference.name}.${method}@${reference.confidence}`;
				expectMatchesReference(result.var, reference[method].var, `${label}.var`);
				expectMatchesReference(result.cvar, reference[method].cvar, `${label}.cvar`);
				if (result.var === null || result.cvar === null) expect(result.reason).toEqual(expect.any(String));
				else expect(result.reason).toBeNull();
			});
		}
	}
});
