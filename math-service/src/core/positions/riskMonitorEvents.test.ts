import { describe, expect, it } from 'vitest';
import { formatPrice, riskMonitorEvents, type ClosedForEvent } from './riskMonitorEvents';

const closed = (o: Partial<ClosedForEvent> = {}): ClosedForEvent => ({
	position_id: 7,
	symbol: 'BTC/USDT',
	strategy: 'vwap-mean-reversion',
	exit_reason: 'stop',
	entry_price: 91_000,
	exit_price: 88_252.35,
	quantity: 0.0045,
	pnl: -13.17,
	return_ratio: -0.0322,
	held_hours: 3.46,
	exit_time: '2026-03-01T12:34:00.000Z',
	fill_basis: 'candles',
	...o,
});

describe('riskMonitorEvents', () => {
	it('makes one close event per exit with its Telegram text, then the halt', () => {
		const events = riskMonitorEvents(
			[closed(), closed({ position_id: 8, symbol: 'ETH/USDT', exit_reason: 'target', entry_price: 2000, exit_price: 2090, pnl: 8.4, return_ratio: 0.042 }), closed({ position_id: 9, exit_reason: 'time_stop' })],
			{ halt_until: '2026-03-02T12:34:00.000Z', day_return_ratio: -0.0612, limit: -0.05 },
			9_388,
		);
		expect(events.map((e) => e.type)).toEqual(['close', 'close', 'close', 'halt']);
		expect(events[0]).toMatchObject({ type: 'close', symbol: 'BTC/USDT', exit_reason: 'stop', fill_price: 88_252.35, pnl: -13.17 });
		expect(events[0]!.message).toBe(
			'🛑 STOP BTC/USDT · 📝 PAPER\nFilled 88,252.35 (entry 91,000.00) · qty 0.0045\nP&L −13.17 USDT (−3.22%) · held 3.5 h\nvwap-mean-reversion · position 7 · 2026-03-01 12:34 UTC',
		);
		expect(events[1]!.message).toMatch(/^🎯 TARGET ETH\/USDT/);
		expect(events[1]!.message).toContain('P&L +8.40 USDT (+4.20%)');
		expect(events[2]!.message).toMatch(/^⏱ TIME STOP BTC\/USDT/);
		expect(events[3]).toMatchObject({ type: 'halt', equity: 9_388, limit: -0.05 });
		expect(events[3]!.message).toBe(
			'⛔ DAILY DRAWDOWN HALT\nEquity 9,388.00, −6.12% since 00:00 UTC (limit −5.00%, marked to market)\nNo new entries until 2026-03-02 12:34 UTC',
		);
	});

	it('says LIVE and how the exchange closed a LIVE position: the OCO leg that filled, or the market sell', () => {
		const [stop, timed] = riskMonitorEvents([closed({ live_via: 'oco_stop' }), closed({ position_id: 9, exit_reason: 'time_stop', live_via: 'market' })], null, 10_000);
		expect(stop!.message).toBe(
			'🛑 STOP BTC/USDT · 🔴 LIVE\nFilled 88,252.35 (entry 91,000.00) · qty 0.0045 · the OCO stop filled on the exchange\nP&L −13.17 USDT (−3.22%) · held 3.5 h\nvwap-mean-reversion · position 7 · 2026-03-01 12:34 UTC',
		);
		expect(timed!.message).toMatch(/^⏱ TIME STOP BTC\/USDT · 🔴 LIVE\n.* · market sell on the exchange\n/);
		expect(stop).toMatchObject({ live_via: 'oco_stop' });
		expect(riskMonitorEvents([closed()], null, 10_000)[0]).toMatchObject({ live_via: null });
	});

	it('has no event for a quiet tick', () => {
		expect(riskMonitorEvents([], null, 10_000)).toEqual([]);
	});

	it('formats prices for large, unit and sub-unit assets', () => {
		expect(formatPrice(91_800)).toBe('91,800.00');
		expect(formatPrice(21.5)).toBe('21.50');
		expect(formatPrice(1.23456)).toBe('1.2346');
		expect(formatPrice(0.000123456789)).toBe('0.000123457');
	});
});
