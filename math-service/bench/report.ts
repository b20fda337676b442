/**
 * @module bench/report
 * Prints one benchmark figure beside its target and the ratio to it, the same way for every
 * section: `label  value unit   target ≥ T unit   1.23× target   PASS`.
 * For "at least" targets the ratio is value/target (> 1 is better); for "below" targets it is
 * value/target too, so < 1 is better; PASS/MISS says which side of the target the figure is on.
 */
export interface Target {
	/** `atLeast`: the figure should be ≥ value (throughput); `below`: < value (latency, time). */
	kind: 'atLeast' | 'below';
	value: number;
}

export interface Figure {
	label: string;
	value: number;
	unit: string;
	target?: Target;
	/** Decimals to print (default 2). */
	digits?: number;
}

export function formatFigure({ label, value, unit, target, digits = 2 }: Figure): string {
	const v = `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
	if (!target) return `  ${label.padEnd(44)} ${v.padStart(16)}`;
	const sign = target.kind === 'atLeast' ? '≥' : '<';
	const ratio = value / target.value;
	const pass = target.kind === 'atLeast' ? value >= target.value : value < target.value;
	const t = `target ${sign} ${target.value.toLocaleString('en-US')} ${unit}`;
	return `  ${label.padEnd(44)} ${v.padStart(16)}   ${t.padEnd(26)} ${ratio.toFixed(2)}× target   ${pass ? 'PASS' : 'MISS'}`;
}

export function printFigure(figure: Figure): void {
	console.log(formatFigure(figure));
}

/** Median of a list of numbers (upper median for an even count). */
export function median(xs: readonly number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

/** Seeded PRNG (mulberry32) so every run benchmarks the same inputs. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fat-tailed synthetic returns: Gaussian scaled by a random volatility regime (seeded). */
export function syntheticReturns(n: number, seed = 7): Float64Array {
	const rnd = seededRandom(seed);
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
		const vol = rnd() < 0.05 ? 0.05 : 0.01;
		out[i] = g * vol;
	}
	return out;
}
