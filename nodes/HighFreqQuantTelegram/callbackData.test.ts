import { describe, expect, it } from 'vitest';

import { formatCallbackData, parseCallbackData } from './callbackData';

describe('callback data', () => {
	it('round-trips hfq:<action>:<decision id>', () => {
		const data = formatCallbackData('executed', 'dec_01JABC:42');
		expect(data).toBe('hfq:executed:dec_01JABC:42');
		expect(parseCallbackData(data)).toEqual({ action: 'executed', decisionId: 'dec_01JABC:42' });
	});

	it('accepts exactly 64 bytes and refuses 65 (Telegram BUTTON_DATA_INVALID)', () => {
		const prefix = 'hfq:skipped:'.length;
		expect(Buffer.byteLength(formatCallbackData('skipped', 'x'.repeat(64 - prefix)))).toBe(64);
		expect(() => formatCallbackData('skipped', 'x'.repeat(65 - prefix))).toThrow(/65 bytes/);
		expect(() => formatCallbackData('skipped', 'é'.repeat(27))).toThrow(/66 bytes/);
		expect(() => formatCallbackData('executed', '')).toThrow();
	});

	it('returns null for foreign or malformed data', () => {
		expect(parseCallbackData('ack:sig_20250304_1400_BTCUSDT')).toBeNull();
		expect(parseCallbackData('hfq:bought:dec_1')).toBeNull();
		expect(parseCallbackData('hfq:executed:')).toBeNull();
		expect(parseCallbackData(undefined)).toBeNull();
	});
});
