/**
 * Property tests on random series with na gaps: the O(1) running forms against naive per-bar
 * definitions over the last `length` non-na values (Pine's na-skipping rule).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmaStream, SmaStream, StdevStream, ema, sma, stdev } from './index.js';

const series = fc
	.array(
		fc.oneof(
			{ weight: 9, arbitrary: fc.double({ min: 0.5, max: 2, noNaN: true }) },
			{ weight: 1, arbitrary: fc.constant(Number.NaN) },
		),
		{ minLength: 1, maxLength: 300 },
	)
	.chain((xs) => fc.tuple(fc.constant(xs), fc.integer({ min: 1, max: 30 }), fc.double({ min: 1e-6, max: 1e5, noNaN: true })))
	.map(([xs, length, level]) => ({ xs: Float64Array.from(xs, (x) => x * level), length }));

/** The last `length` non-na values up to bar i, or null while fewer exist. */
function window(xs: Float64Array, i: number, length: number): number[] | null {
	const w: number[] = [];
	for (let k = i; k >= 0 && w.length < length; k--) if (!Number.isNaN(xs[k])) w.push(xs[k]);
	return w.length === length ? w.reverse() : null;
}

const near = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

describe('indicator properties on random series with na gaps', () => {
	it('sma equals the naive mean of the last length non-na values', () => {
		fc.assert(
			fc.property(series, ({ xs, length }) => {
				const out = sma(xs, length);
				xs.forEach((_, i) => {
					const w = window(xs, i, length);
					if (w === null) expect(out[i]).toBeNaN();
					else expect(near(out[i], w.reduce((a, b) => a + b, 0) / length, 1e-12)).toBe(true);
				});
			}),
			{ numRuns: 300 },
		);
	});

	it('stdev equals the naive two-pass population σ (to 1e-9 relative, or 1e-12 of the level)', () => {
		fc.assert(
			fc.property(series, ({ xs, length }) => {
				const out = stdev(xs, length);
				xs.forEach((_, i) => {
					const w = window(xs, i, length);
					if (w === null) return expect(out[i]).toBeNaN();
					const m = w.reduce((a, b) => a + b, 0) / length;
					const sd = Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / length);
					expect(Math.abs(out[i] - sd) <= 1e-9 * sd + 1e-12 * Math.abs(m)).toBe(true);
				});
			}),
			{ numRuns: 300 },
		);
	});

	it('ema follows the SMA-seeded recursion over the non-na values', () => {
		fc.assert(
			fc.property(series, ({ xs, length }) => {
				const out = ema(xs, length);
				const alpha = 2 / (length + 1);
				const seen: number[] = [];
				let prev = Number.NaN;
				xs.forEach((x, i) => {
					if (!Number.isNaN(x)) {
						seen.push(x);
						if (seen.length === length) prev = seen.reduce((a, b) => a + b, 0) / length;
						else if (seen.length > length) prev = prev + alpha * (x - prev);
					}
					if (Number.isNaN(prev)) expect(out[i]).toBeNaN();
					else expect(near(out[i], prev, 1e-12)).toBe(true);
				});
			}),
			{ numRuns: 300 },
		);
	});

	it('streaming forms return exactly the batch numbers (null for NaN)', () => {
		fc.assert(
			fc.property(series, ({ xs, length }) => {
				const pairs: [Float64Array, { update(x: number | null): number | null }][] = [
					[sma(xs, length), new SmaStream(length)],
					[ema(xs, length), new EmaStream(length)],
					[stdev(xs, length), new StdevStream(length)],
					[stdev(xs, length, false), new StdevStream(length, false)],
				];
				for (const [batch, stream] of pairs) {
					xs.forEach((x, i) => {
						const v = stream.update(Number.isNaN(x) ? null : x);
						expect(v).toBe(Number.isNaN(batch[i]) ? null : batch[i]);
					});
				}
			}),
			{ numRuns: 300 },
		);
	});
});
