/**
 * @module quantile
 * Order statistics without a full sort. Historical VaR over a million returns needs one or two
 * order statistics, so an in-place selection (expected O(n)) on a Float64Array copy replaces the
 * O(n log n) sort; the interpolation rule is numpy's default ("linear", Hyndman–Fan type 7),
 * the convention empyrical's value_at_risk and tail_ratio inherit from np.percentile.
 */

/**
 * Rearranges `values` in place so that values[k] is the k-th smallest (0-based), everything
 * before it is ≤ values[k] and everything after it is ≥ values[k] (Hoare partition with a
 * median-of-three pivot; expected linear time). `lo`/`hi` bound the search window.
 */
export function selectKth(values: Float64Array, k: number, lo = 0, hi = values.length - 1): number {
	let left = lo;
	let right = hi;
	while (right > left) {
		const mid = (left + right) >>> 1;
		// Median of three into values[mid] to avoid quadratic behaviour on sorted input.
		if (values[mid] < values[left]) swap(values, mid, left);
		if (values[right] < values[left]) swap(values, right, left);
		if (values[right] < values[mid]) swap(values, right, mid);
		const pivot = values[mid];
		let i = left;
		let j = right;
		while (i <= j) {
			while (values[i] < pivot) i++;
			while (values[j] > pivot) j--;
			if (i <= j) {
				swap(values, i, j);
				i++;
				j--;
			}
		}
		if (k <= j) right = j;
		else if (k >= i) left = i;
		else break;
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
