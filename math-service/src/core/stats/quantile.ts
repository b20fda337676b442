/**
 * @module quantile
 * Order statistics without a full sort. Historical VaR over a million returns needs one or two
 * order statistics, so an in-place selection (expected O(n)) on a Float64Array copy replaces the
 * O(n log n) sort; the interpolation rule is numpy's default ("linear", Hyndman–Fan type 7),
 * the convention empyrical's value_at_risk and tail_ratio inherit from np.percentile.
 */

/**
 * Rearranges `values` in place so that values[k] is the k-th smallest (0-based), everything
 * before it is ≤ values[k] and everything after it is ≥ values[k]. Floyd–Rivest selection:
 * a recursive call on a small sample first narrows the window around k, so the full array is
 * partitioned about once — n + min(k, n − k) + o(n) comparisons on average, which matters when
 * k sits in a 1 % or 5 % tail of a million returns. `left`/`right` bound the search window.
 * Source: R. W. Floyd and R. L. Rivest, "Algorithm 489: SELECT", CACM 18(3), 173 (1975).
 * Values must not be NaN (callers validate first).
 */
export function selectKth(values: Float64Array, k: number, left = 0, right = values.length - 1): number {
	while (right > left) {
		if (right - left > 600) {
			const n = right - left + 1;
			const m = k - left + 1;
			const z = Math.log(n);
			const sample = 0.5 * Math.exp((2 * z) / 3);
			const spread = 0.5 * Math.sqrt((z * sample * (n - sample)) / n) * (m - n / 2 < 0 ? -1 : 1);
			const newLeft = Math.max(left, Math.floor(k - (m * sample) / n + spread));
			const newRight = Math.min(right, Math.floor(k + ((n - m) * sample) / n + spread));
			selectKth(values, k, newLeft, newRight);
		}
		const pivot = values[k];
		let i = left;
		let j = right;
		swap(values, left, k);
		if (values[right] > pivot) swap(values, left, right);
		while (i < j) {
			swap(values, i, j);
			i++;
			j--;
			while (values[i] < pivot) i++;
			while (values[j] > pivot) j--;
		}
		if (values[left] === pivot) swap(values, left, j);
		else {
			j++;
			swap(values, j, right);
		}
		if (j <= k) left = j + 1;
		if (k <= j) right = j - 1;
	}
	return values[k];
}

function swap(values: Float64Array, a: number, b: number): void {
	const t = values[a];
	values[a] = values[b];
	values[b] = t;
}

/** Smallest element of values[from..values.length-1]. */
export function minFrom(values: Float64Array, from: number): number {
	let min = Number.POSITIVE_INFINITY;
	for (let i = from; i < values.length; i++) if (values[i] < min) min = values[i];
	return min;
}

/**
 * numpy's linear interpolation between two neighbouring order statistics, written the way
 * numpy's `_lerp` does it (a + (b−a)·t below t = 0.5, b − (b−a)·(1−t) from 0.5 up) so the
 * last bits match np.percentile.
 */
export function lerp(a: number, b: number, t: number): number {
	const diff = b - a;
	return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The q-quantile (q in [0, 1]) with linear interpolation: h = (n−1)·q, result
 * x₍⌊h⌋₎ + (h−⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) over the ascending order statistics.
 * `scratch` is reordered in place (pass a copy). NaN for an empty array.
 * Source: numpy.percentile(method="linear"); Hyndman & Fan (1996) definition 7.
 */
export function quantileInPlace(scratch: Float64Array, q: number): number {
	const n = scratch.length;
	if (n === 0) return Number.NaN;
	const h = (n - 1) * q;
	const lo = Math.floor(h);
	const low = selectKth(scratch, lo);
	if (lo + 1 >= n) return low;
	const high = minFrom(scratch, lo + 1);
	return lerp(low, high, h - lo);
}
