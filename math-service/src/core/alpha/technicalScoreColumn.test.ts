import { describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../data/realCandles.test-helper.js';
import { technicalScore } from './technicalScore.js';
import { technicalScoreColumn } from './technicalScoreColumn.js';

const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2022, 2, 1) });

describe('technicalScoreColumn', () => {
	it('equals technicalScore on the closes up to each bar (real BTC hourly bars)', () => {
		const col = technicalScoreColumn(candles.close);
		for (const i of [0, 5, 13, 14, 19, 20, 99, 100, 101, 257, 700, candles.length - 1]) {
			const s = technicalScore(candles.close.subarray(0, i + 1)).score;
			if (s === null) expect(col[i], `bar ${i}`).toBeNaN();
			else expect(col[i], `bar ${i}`).toBe(s);
		}
	});

	it('agrees with the live scorer, which reads the last 300 closes, to 1e-6 points', () => {
		const col = technicalScoreColumn(candles.close);
		for (let i = 400; i < candles.length; i += 97) {
			const live = technicalScore(candles.close.subarray(i - 299, i + 1)).score!;
			expect(Math.abs(col[i]! - live), `bar ${i}`).toBeLessThan(1e-6);
		}
	});

	it('is causal: changing a later close leaves every earlier bar unchanged', () => {
		const changed = Float64Array.from(candles.close);
		changed[900] *= 0.8;
		const a = technicalScoreColumn(candles.close);
		const b = technicalScoreColumn(changed);
		for (let i = 0; i < 900; i++) expect(b[i]).toBe(a[i]);
		expect(b[900]).not.toBe(a[900]);
	});
});
