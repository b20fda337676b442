import { describe, expect, it } from 'vitest';
import { testApp } from './testApp';

const { post } = testApp();

describe('POST /v1/kelly', () => {
	it('returns full Kelly, quarter Kelly and the position in percent (p = 0.55, b = 1.5)', async () => {
		// f* = p − (1 − p)/b = 0.55 − 0.45/1.5 = 0.25 (Thorp 2006, §2); 0.25·0.25 = 0.0625; 6.25 %.
		const { status, body } = await post('/v1/kelly', { win_rate: 0.55, avg_win: 1.5, avg_loss: 1 });
		expect(status).toBe(200);
		expect(body.kelly_fraction).toBeCloseTo(0.25, 12);
		expect(body.fractional_kelly).toBeCloseTo(0.0625, 12);
		expect(body.position_pct).toBeCloseTo(6.25, 10);
		expect(Object.keys(body).sort()).toEqual(['fractional_kelly', 'kelly_fraction', 'position_pct']);
	});

	it('sizes 0 when there is no edge but still reports the negative f*', async () => {
		// f* = 0.4 − 0.6/1 = −0.2
		const { body } = await post('/v1/kelly', { win_rate: 0.4, avg_win: 1, avg_loss: 1 });
		expect(body.kelly_fraction).toBeCloseTo(-0.2, 12);
		expect(body.fractional_kelly).toBe(0);
		expect(body.position_pct).toBe(0);
	});

	it('applies the cap to the position but not to fractional_kelly', async () => {
		// f* = 0.9 − 0.1/2 = 0.85; fraction 1 → 0.85; cap 0.10 → 10 %.
		const { body } = await post('/v1/kelly', { win_rate: 0.9, avg_win: 2, avg_loss: 1, fraction: 1, cap: 0.1 });
		expect(body.fractional_kelly).toBeCloseTo(0.85, 12);
		expect(body.position_pct).toBeCloseTo(10, 10);
	});

	it('uses half Kelly and a custom cap when asked', async () => {
		const { body } = await post('/v1/kelly', { win_rate: 0.55, avg_win: 1.5, avg_loss: 1, fraction: 0.5, cap: 0.5 });
		expect(body.fractional_kelly).toBeCloseTo(0.125, 12);
		expect(body.position_pct).toBeCloseTo(12.5, 10);
	});

	it('ignores unknown fields, as FastAPI does by default', async () => {
		const { status } = await post('/v1/kelly', { win_rate: 0.55, avg_win: 1.5, avg_loss: 1, symbol: 'BTCUSDT' });
		expect(status).toBe(200);
	});

	it.each([
		[{ win_rate: 1.2, avg_win: 1, avg_loss: 1 }, 'less_than_equal', ['body', 'win_rate']],
		[{ win_rate: 0.5, avg_win: 0, avg_loss: 1 }, 'greater_than', ['body', 'avg_win']],
		[{ win_rate: 0.5, avg_win: 1, avg_loss: -0.02 }, 'greater_than', ['body', 'avg_loss']],
		[{ win_rate: 0.5, avg_win: 1, avg_loss: 1, fraction: 0 }, 'greater_than', ['body', 'fraction']],
		[{ win_rate: 0.5, avg_win: 1, avg_loss: 1, cap: 1.5 }, 'less_than_equal', ['body', 'cap']],
		[{ win_rate: '55%', avg_win: 1, avg_loss: 1 }, 'float_parsing', ['body', 'win_rate']],
		[{ avg_win: 1, avg_loss: 1 }, 'missing', ['body', 'win_rate']],
	])('answers 422 for %j', async (bad, type, loc) => {
		const { status, body } = await post('/v1/kelly', bad);
		expect(status).toBe(422);
		expect(body.detail![0]).toMatchObject({ type, loc });
	});
});
