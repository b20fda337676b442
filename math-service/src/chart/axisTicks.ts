/**
 * @module chart/axisTicks
 * Axis ticks a reader can take in at a glance: prices on 1, 2, 2.5 or 5 × 10^k steps, times on
 * whole minutes, hours or days (UTC), spaced so labels do not collide.
 */

/** Tick step (1, 2, 2.5, 5 × 10^k) giving about `target` ticks over [min, max]; null for an empty or invalid span. */
export function niceStep(min: number, max: number, target = 6): number | null {
	const span = max - min;
	if (!(span > 0) || !Number.isFinite(span) || target < 1) return null;
	const raw = span / target;
	const magnitude = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
	return step;
}

/** Multiples of `step` inside [min, max], computed as integer multiples (no drift). */
export function priceTicks(min: number, max: number, target = 6): { step: number; ticks: number[] } {
	const step = niceStep(min, max, target);
	if (step === null) return { step: 0, ticks: [] };
	const ticks: number[] = [];
	for (let k = Math.ceil(min / step); k * step <= max; k++) ticks.push(Number((k * step).toPrecision(12)));
	return { step, ticks };
}

/** Decimals that show `step` exactly (0.25 → 2, 5 → 0), at most 8. */
export function decimalsFor(step: number): number {
	if (!(step > 0)) return 2;
	for (let d = 0; d <= 8; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9 * 10 ** d) return d;
	return 8;
}

/**
 * Decimals for price-level labels, chosen once per chart from its largest price: 2 at 10 and
 * above (cents; BTC, ETH, SOL), else about four significant digits (ARB at 0.3456 → 0.34560), ≤ 8.
 */
export function levelDecimals(maxAbsPrice: number): number {
	const p = Math.abs(maxAbsPrice);
	if (!(p > 0) || p >= 10) return 2;
	return Math.min(8, Math.max(2, 4 - Math.floor(Math.log10(p))));
}

const MINUTE = 60_000;
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 10080].map((m) => m * MINUTE);

/** The smallest whole-time step (1 min … 1 week) at least `minMs` long. */
export function timeStep(minMs: number): number {
	return TIME_STEPS.find((s) => s >= minMs) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `HH:MM` within a day, `MM-DD` at midnight or for day-sized steps (UTC). */
export function formatTimeTick(t: number, stepMs: number): string {
	const d = new Date(t);
	if (stepMs >= 1440 * MINUTE || (d.getUTCHours() === 0 && d.getUTCMinutes() === 0)) return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
	return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `YYYY-MM-DD HH:MM UTC`. */
export function formatUtc(t: number): string {
	const d = new Date(t);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}
