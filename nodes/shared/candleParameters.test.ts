import { describe, expect, it } from 'vitest';
import { candleTimeframeParameter, exchangeParameter, HEARTBEAT_TIMEFRAMES } from './candleParameters';

describe('candle parameters', () => {
	it('exchangeParameter offers Binance and Bybit, default binance, with the caller’s description and display options', () => {
		const p = exchangeParameter('Whose candles', { show: { operation: ['scan'] } });
		expect(p).toEqual({
			displayName: 'Exchange',
			name: 'exchange',
			type: 'options',
			options: [
				{ name: 'Binance', value: 'binance' },
				{ name: 'Bybit', value: 'bybit' },
			],
			default: 'binance',
			description: 'Whose candles',
			displayOptions: { show: { operation: ['scan'] } },
		});
		expect(exchangeParameter('x')).not.toHaveProperty('displayOptions');
	});

	it('candleTimeframeParameter lists the timeframes by display name (n8n’s lint order) with the given default', () => {
		const p = candleTimeframeParameter({ timeframes: HEARTBEAT_TIMEFRAMES, default: '1m', description: 'Bars' });
		expect(p.options).toEqual([
			{ name: '1 Hour', value: '1h' },
			{ name: '1 Minute', value: '1m' },
			{ name: '15 Minutes', value: '15m' },
			{ name: '5 Minutes', value: '5m' },
		]);
		expect(p).toMatchObject({ displayName: 'Timeframe', name: 'timeframe', description: 'Bars' });
		expect([p.type, p.default]).toEqual(['options', '1m']); // kept apart: n8n's lint reads an options literal here as a parameter
	});

	it('refuses a default that is not among the timeframes', () => {
		expect(() => candleTimeframeParameter({ timeframes: ['1m'], default: '1h', description: 'Bars' })).toThrow(/1h is not among 1m/);
	});
});
