import { describe, expect, it } from 'vitest';

import { RiskSizer } from '../RiskSizer.node';
import { operations, properties } from './router';

describe('Risk Sizer operations', () => {
	it('lists every operation module once in the Operation options, sorted by name', () => {
		const operation = properties.find((property) => property.name === 'operation');
		const values = (operation?.options ?? []).map((option) => (option as { value: string }).value);
		expect(values.slice().sort()).toEqual(operations.map((op) => op.option.value).sort());
		const names = (operation?.options ?? []).map((option) => option.name);
		expect(names).toEqual(names.slice().sort((a, b) => a.localeCompare(b)));
		expect(values).toContain(operation?.default);
	});

	it('shows each operation parameter only for its own operation', () => {
		for (const op of operations) {
			for (const parameter of op.description) {
				expect(parameter.displayOptions?.show?.operation, `${op.option.value}.${parameter.name}`).toEqual([
					op.option.value,
				]);
			}
		}
	});

	it('is usable as an AI tool and needs the HighFreqQuant credential', () => {
		const { description } = new RiskSizer();
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'highFreqQuantApi', required: true }]);
	});
});
