import { describe, expect, it } from 'vitest';
import { context, HOUR, NOW, position } from '../__fixtures__/context.js';
import { positionsToTimeStop, timeStop } from './timeStop.js';

const book = [
	position({ symbol: 'ETH/USDT', openedAtMs: NOW - 47 * HOUR }),
	position({ symbol: 'SOL/USDT', openedAtMs: NOW - 48 * HOUR }),
	position({ symbol: 'BTC/USDT', openedAtMs: NOW - 60 * HOUR }),
];

describe('positionsToTimeStop', () => {
	it('returns positions open 48 h or longer, oldest first, with their age', () => {
		const due = positionsToTimeStop(book, NOW, 48 * HOUR);
		expect(due.map((p) => [p.symbol, p.ageMs])).toEqual([
			['BTC/USDT', 60 * HOUR],
			['SOL/USDT', 48 * HOUR],
		]);
	});
	it('returns nothing for a flat book or young positions', () => {
		expect(positionsToTimeStop([], NOW)).toEqual([]);
		expect(positionsToTimeStop(book, NOW - 13 * HOUR)).toEqual([]);
	});
});

describe('timeStop gate', () => {
	it('always passes and lists the positions to close, value = oldest age in hours', () => {
		const result = timeStop.evaluate(context({ openPositions: book }), timeStop.defaults);
		expect(result).toMatchObject({ passed: true, value: 60, limit: 48 });
		expect(result.detail).toMatch(/2 position\(s\).*BTC\/USDT \(60\.0 h\), SOL\/USDT \(48\.0 h\)/);
	});
	it('reports value null for a flat book', () => {
		expect(timeStop.evaluate(context(), timeStop.defaults)).toMatchObject({ passed: true, value: null });
	});
});
