import { describe, expect, it } from 'vitest';
import { decodePng, pixelAt } from '../chart/decodePng.js';
import { EQUITY_COLORS, renderEquityPng } from './renderEquityPng.js';

const HOUR = 3_600_000;

function countColour(img: ReturnType<typeof decodePng>, rgb: readonly number[], x0 = 0, x1 = img.width): number {
	let n = 0;
	for (let y = 0; y < img.height; y++) for (let x = x0; x < x1; x++) {
		const [r, g, b] = pixelAt(img, x, y);
		if (Math.abs(r - rgb[0]) + Math.abs(g - rgb[1]) + Math.abs(b - rgb[2]) < 40) n++;
	}
	return n;
}

describe('renderEquityPng', () => {
	const n = 50_000;
	const equity = Float64Array.from({ length: n }, (_, i) => 10_000 + 500 * Math.sin(i / 3000) + (i === 25_000 ? -2_000 : 0));
	const times = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * HOUR);
	const png = renderEquityPng({ equity, times, initialCapital: 10_000, title: 'BTC/USDT 1h', subtitle: 'trades 12', verdict: { text: 'KPI gates seed 1: FAIL', passed: false } });
	const img = decodePng(png);

	it('returns a PNG of the requested size with the equity line and a drawdown fill', () => {
		expect(img.width).toBe(900);
		expect(img.height).toBe(460);
		expect(countColour(img, EQUITY_COLORS.equity)).toBeGreaterThan(900);
		expect(countColour(img, EQUITY_COLORS.drawdown)).toBeGreaterThan(500);
		expect(countColour(img, EQUITY_COLORS.fail)).toBeGreaterThan(20); // the red verdict text
	});

	it('keeps a one-bar crash visible: its pixel column reaches far below its neighbours', () => {
		const x = 12 + Math.floor((25_000 * (900 - 78 - 12)) / n);
		// Lowest row of the equity panel holding an equity-blue pixel (the bar is blended at 60%).
		const lowest = (col: number) => {
			let y = -1;
			for (let row = 40; row < 330; row++) {
				const [red, , blue] = pixelAt(img, col, row);
				if (blue > 120 && red < 80) y = row;
			}
			return y;
		};
		expect(lowest(x)).toBeGreaterThan(lowest(x - 40) + 50);
	});

	it('is deterministic', () => {
		const again = renderEquityPng({ equity, times, initialCapital: 10_000, title: 'BTC/USDT 1h', subtitle: 'trades 12', verdict: { text: 'KPI gates seed 1: FAIL', passed: false } });
		expect(Buffer.compare(again, png)).toBe(0);
	});
});
