import { describe, expect, it } from 'vitest';
import { alertKey } from './alertKey.js';

const base = { alertId: null, ticker: 'BINANCE:BTCUSDT', timeMs: 1740003600000, action: 'buy' as const };

describe('alertKey', () => {
	it('returns the alert_id, namespaced, when the alert has one', () => {
		expect(alertKey({ ...base, alertId: 'BINANCE:BTCUSDT-60-1740000000000-long' })).toBe(
			'id:BINANCE:BTCUSDT-60-1740000000000-long',
		);
	});
	it('returns a sha256 of ticker, time and action otherwise (stable across calls)', () => {
		const key = alertKey(base);
		expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(alertKey({ ...base })).toBe(key);
	});
	it('ignores ticker case and surrounding whitespace', () => {
		expect(alertKey({ ...base, ticker: ' binance:btcusdt ' })).toBe(alertKey(base));
	});
	it('returns a different key when ticker, time or action differ', () => {
		const key = alertKey(base);
		expect(alertKey({ ...base, ticker: 'BINANCE:ETHUSDT' })).not.toBe(key);
		expect(alertKey({ ...base, timeMs: base.timeMs + 1 })).not.toBe(key);
		expect(alertKey({ ...base, action: 'exit' })).not.toBe(key);
	});
	it('does not collide when field boundaries shift', () => {
		expect(alertKey({ ...base, ticker: 'AB', action: 'buy' })).not.toBe(
			alertKey({ ...base, ticker: 'A', action: 'buy' }),
		);
	});
});
