import { describe, expect, it } from 'vitest';
import { AtrStream, atr, trueRange } from './atr.js';

const f = (xs: number[]) => Float64Array.from(xs);

describe('atr', () => {
	it('is the RMA of true range, the first TR being high - low', () => {
		// TR = 2 (h-l, no previous close), 3, 4 (gap down: |low - prev close|)
		const out = atr(f([10, 12, 11]), f([8, 9, 7]), f([9, 11, 8]), 2);
		expect(Number.isNaN(out[0])).toBe(true);
		expect(out[1]).toBe(2.5);
		expect(out[2]).toBe(3.25);
	});

	it('takes gaps into the true range', () => {
		expect(trueRange(105, 104, 100)).toBe(5);
		expect(trueRange(96, 95, 100)).toBe(5);
		expect(trueRange(101, 99, Number.NaN)).toBe(2);
	});

	it('streams the batch numbers', () => {
		const s = new AtrStream(2);
		expect([s.update(10, 8, 9), s.update(12, 9, 11), s.update(11, 7, 8)]).toEqual([null, 2.5, 3.25]);
		expect(s.value).toBe(3.25);
	});
});
