import { describe, expect, it } from 'vitest';

import { HighFreqQuantTelegram } from '../HighFreqQuantTelegram.node';
import { DEFAULT_RETRY_POLICY } from '../transport';
import { operations, properties } from './router';

describe('HighFreqQuant Telegram operations', () => {
	it('lists every operation module once, sorted by name, with a known default', () => {
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
				expect(parameter.displayOptions?.show?.operation, `${op.option.value}.${parameter.name}`).toEqual([op.option.value]);
			}
		}
	});

	it('shows the retry options with the transport defaults', () => {
		const options = properties.find((property) => property.name === 'options')?.options as { name: string; default: unknown }[];
		expect(options.find((option) => option.name === 'maxAttempts')?.default).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
		expect(options.find((option) => option.name === 'maxRetryWaitSeconds')?.default).toBe(DEFAULT_RETRY_POLICY.maxRetryWaitSeconds);
	});

	it('needs the Telegram credential always and the math credential for button presses, commands and charts', () => {
		const { description } = new HighFreqQuantTelegram();
		expect(description.name).toBe('highFreqQuantTelegram');
		expect(description.credentials).toEqual([
			{ name: 'highFreqQuantTelegramApi', required: true },
			{ name: 'highFreqQuantApi', required: false, displayOptions: { show: { operation: ['answerButtonPress', 'answerCommand', 'sendSignalCard'] } } },
		]);
	});
});
