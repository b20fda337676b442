import { describe, expect, it } from 'vitest';

import { serviceErrorReason } from './mathServiceTransport';

describe('serviceErrorReason', () => {
	it('returns one clause per FastAPI validation entry, naming the field without "body"', () => {
		const reason = serviceErrorReason({
			detail: [
				{ type: 'less_than_equal', loc: ['body', 'win_rate'], msg: 'Input should be less than or equal to 1', input: 1.5 },
				{ type: 'missing', loc: ['body', 'avg_loss'], msg: 'Field required', input: { win_rate: 1.5 } },
			],
		});
		expect(reason).toBe(
			'win_rate: Input should be less than or equal to 1 (got 1.5); avg_loss: Field required',
		);
	});

	it('keeps array positions in the field path', () => {
		const reason = serviceErrorReason({
			detail: [{ type: 'finite_number', loc: ['body', 'returns', 3], msg: 'Input should be a finite number', input: 'x' }],
		});
		expect(reason).toBe('returns.3: Input should be a finite number (got "x")');
	});

	it('returns a string detail as it is', () => {
		expect(serviceErrorReason({ detail: 'Missing or invalid API key (X-API-Key header)' })).toBe(
			'Missing or invalid API key (X-API-Key header)',
		);
	});

	it('falls back to message, then to the raw body', () => {
		expect(serviceErrorReason({ message: 'Malformed JSON' })).toBe('Malformed JSON');
		expect(serviceErrorReason({ odd: 1 })).toBe('{"odd":1}');
		expect(serviceErrorReason('plain text failure\n')).toBe('plain text failure');
		expect(serviceErrorReason(undefined)).toBe('no reason given');
	});
});
