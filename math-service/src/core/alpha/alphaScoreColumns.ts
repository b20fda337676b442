/**
 * @module alpha/alphaScoreColumns
 * The composite alpha score at every bar's close, for a backtest of the alpha strategy: the same
 * components and blend as the live scorer (alpha/scoreAlpha.ts → compositeAlphaScore), computed bar
 * by bar from the candles and from point-in-time on-chain and sentiment series.
 *
 * Point-in-time rule: bar i is decided at its close, `openTime[i] + timeframeMs`. An on-chain value
 * counts from the time the service learned it (`learnedAt`), a sentiment snapshot from the time it
 * was computed (`computedAt`), and only when that time is at or before the bar's close — never
 * earlier, whatever period the value describes. A revision learned later replaces the period's value
 * from its own learnedAt on, exactly as `onchainObservations.asOf` answers a live scorer.
 *
 * Components per bar (what scoreAlpha reads at that time):
 * - technical: technicalScoreColumn (the candles up to the bar);
 * - on-chain: onChainScore of exchange netflow and LTH-SOPR over the last `onchainWindow + 1`
 *   periods known then (the latest version of each period);
 * - sentiment: the newest snapshot of the asset computed by then, else the newest of the market
 *   ('*'); its sentiment score.
 * A component without data at a bar is missing there and the bar's score is partial (never a silent
 * 0 or 50); a series not given at all is missing on every bar. The custom component is not replayed.
 */
import { compositeAlphaScore, DEFAULT_ALPHA_WEIGHTS, type AlphaComponentName, type AlphaWeights, type MissingComponentPolicy } from './compositeAlphaScore.js';
import { onChainScore } from './onChainScore.js';
import type { TechnicalScoreOptions } from './technicalScore.js';
import { technicalScoreColumn } from './technicalScoreColumn.js';

/** One version of one period's on-chain value, as stored (storage/onchainObservations.ts). */
export interface OnchainVersion {
	periodStart: number;
	value: number | null;
	/** When the service learned this value, Unix ms: usable from then on. */
	learnedAt: number;
}

/** One sentiment snapshot, as stored (storage/newsSentimentStore.ts). */
export interface SentimentPoint {
	/** When it was computed from the posts known then, Unix ms: usable from then on. */
	computedAt: number;
	sentimentScore: number | null;
	panicScore: number | null;
}

export interface AlphaScoreInputs {
	openTime: Float64Array;
	close: Float64Array;
	timeframeMs: number;
	/** Every stored version of the two on-chain series (any order); omitted = no on-chain data. */
	onchain?: { netflow: readonly OnchainVersion[]; lthSopr: readonly OnchainVersion[] };
	/** Snapshots of the asset and of the whole market ('*'), any order; omitted = no sentiment data. */
	sentiment?: { asset: readonly SentimentPoint[]; market?: readonly SentimentPoint[] };
	weights?: AlphaWeights;
	onMissing?: MissingComponentPolicy;
	technical?: TechnicalScoreOptions;
	/** Earlier on-chain periods a value is compared with (default 30, as the live scorer). */
	onchainWindow?: number;
}

export interface AlphaScoreColumns {
	/** Composite score 0–100 at each bar's close; NaN where no weighted component has data. */
	score: Float64Array;
	/** 1 where a weighted component was missing at that bar. */
	partial: Uint8Array;
	/** The components at each bar (NaN = missing there). */
	technical: Float64Array;
	onchain: Float64Array;
	sentiment: Float64Array;
	/** Panic score of the snapshot used (NaN = none). */
	panic: Float64Array;
}

export const SCORED_COMPONENTS = ['technical', 'onchain', 'sentiment'] as const satisfies readonly AlphaComponentName[];

export function alphaScoreColumns(input: AlphaScoreInputs): AlphaScoreColumns {
	const { openTime, close, timeframeMs } = input;
	const n = openTime.length;
	const weights = input.weights ?? DEFAULT_ALPHA_WEIGHTS;
	const onMissing = input.onMissing ?? 'renormalize';
	const technical = technicalScoreColumn(close, input.technical);
	const onchain = onchainColumn(openTime, timeframeMs, input.onchain, input.onchainWindow ?? 30);
	const sentiment = new Float64Array(n).fill(Number.NaN);
	const panic = new Float64Array(n).fill(Number.NaN);
	if (input.sentiment !== undefined) sentimentColumns(openTime, timeframeMs, input.sentiment, sentiment, panic);
	const score = new Float64Array(n);
	const partial = new Uint8Array(n);
	const finite = (x: number) => (x === x ? x : null);
	for (let i = 0; i < n; i++) {
		const c = compositeAlphaScore(
			{ technical: { score: finite(technical[i]!) }, onchain: { score: finite(onchain[i]!) }, sentiment: { score: finite(sentiment[i]!) } },
			weights,
			onMissing,
		);
		score[i] = c.score ?? Number.NaN;
		partial[i] = c.partial ? 1 : 0;
	}
	return { score, partial, technical, onchain, sentiment, panic };
}

/** On-chain score at each bar close from the versions learned by then; NaN where missing. */
function onchainColumn(openTime: Float64Array, tf: number, series: AlphaScoreInputs['onchain'], window: number): Float64Array {
	const n = openTime.length;
	const out = new Float64Array(n).fill(Number.NaN);
	if (series === undefined) return out;
	const netflow = new KnownSeries(series.netflow);
	const lthSopr = new KnownSeries(series.lthSopr);
	let current = Number.NaN;
	for (let i = 0; i < n; i++) {
		const decidedAt = openTime[i]! + tf;
		const changed = netflow.learnUntil(decidedAt) | lthSopr.learnUntil(decidedAt);
		if (changed) current = onChainScore(netflow.last(window + 1), lthSopr.last(window + 1), { window }).score ?? Number.NaN;
		out[i] = current;
	}
	return out;
}

/** One on-chain series replayed in learning order: per period, the latest version learned so far. */
class KnownSeries {
	private readonly versions: OnchainVersion[];
	private next = 0;
	/** Known period starts, ascending, and their current values. */
	private readonly periods: number[] = [];
	private readonly values = new Map<number, number | null>();

	constructor(versions: readonly OnchainVersion[]) {
		this.versions = [...versions].sort((a, b) => a.learnedAt - b.learnedAt);
	}

	/** Takes in every version learned at or before `t`; 1 when anything changed. */
	learnUntil(t: number): number {
		let changed = 0;
		while (this.next < this.versions.length && this.versions[this.next]!.learnedAt <= t) {
			const v = this.versions[this.next++]!;
			if (!this.values.has(v.periodStart)) insertSorted(this.periods, v.periodStart);
			this.values.set(v.periodStart, v.value);
			changed = 1;
		}
		return changed;
	}

	/** Values of the last `count` known periods, oldest first (as onchainObservations.asOf with a limit). */
	last(count: number): (number | null)[] {
		const from = Math.max(0, this.periods.length - count);
		return this.periods.slice(from).map((p) => this.values.get(p)!);
	}
}

function insertSorted(sorted: number[], x: number): void {
	let i = sorted.length;
	while (i > 0 && sorted[i - 1]! > x) i--;
	sorted.splice(i, 0, x);
}

/** The newest asset snapshot computed by each bar close, else the newest market one. */
function sentimentColumns(openTime: Float64Array, tf: number, s: NonNullable<AlphaScoreInputs['sentiment']>, sentiment: Float64Array, panic: Float64Array): void {
	const asset = [...s.asset].sort((a, b) => a.computedAt - b.computedAt);
	const market = [...(s.market ?? [])].sort((a, b) => a.computedAt - b.computedAt);
	let ia = -1;
	let im = -1;
	for (let i = 0; i < openTime.length; i++) {
		const decidedAt = openTime[i]! + tf;
		while (ia + 1 < asset.length && asset[ia + 1]!.computedAt <= decidedAt) ia++;
		while (im + 1 < market.length && market[im + 1]!.computedAt <= decidedAt) im++;
		const snap = ia >= 0 ? asset[ia]! : im >= 0 ? market[im]! : null;
		if (snap === null) continue;
		sentiment[i] = snap.sentimentScore ?? Number.NaN;
		panic[i] = snap.panicScore ?? Number.NaN;
	}
}

/** Bars in [from, to) on which each component was missing, and the partial bars. */
export function alphaCoverage(cols: AlphaScoreColumns, from: number, to: number, weights: AlphaWeights = DEFAULT_ALPHA_WEIGHTS) {
	const missingBars: Record<(typeof SCORED_COMPONENTS)[number], number> = { technical: 0, onchain: 0, sentiment: 0 };
	let partialBars = 0;
	let scoredBars = 0;
	for (let i = from; i < to; i++) {
		for (const name of SCORED_COMPONENTS) if (weights[name] > 0 && !(cols[name][i]! === cols[name][i]!)) missingBars[name]++;
		partialBars += cols.partial[i]!;
		if (cols.score[i]! === cols.score[i]!) scoredBars++;
	}
	const bars = to - from;
	const missing = SCORED_COMPONENTS.filter((name) => missingBars[name] > 0);
	const missingEverywhere = SCORED_COMPONENTS.filter((name) => weights[name] > 0 && missingBars[name] === bars);
	return { bars, scoredBars, partialBars, missing, missingEverywhere, missingBars };
}
