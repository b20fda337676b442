/**
 * @module alpha/scoreAlpha
 * Computes the composite alpha score (core/alpha) of each symbol from what the database knows at
 * `nowMs` — closed candles, on-chain observations learned by then, the newest sentiment snapshot —
 * and records it. Financial logic and weights: core/alpha/compositeAlphaScore.
 *
 * Data per component:
 * - technical: the last `lookbackBars` closed candles of `timeframe` (default 1h) on `exchange`;
 * - on-chain: exchange netflow and long-term-holder SOPR of the symbol's base asset at
 *   `onchainResolution` (Glassnode carries them for BTC and ETH; any other asset has no series, so
 *   its on-chain component is reported missing and the score partial, never a made-up 50);
 * - sentiment: the newest CryptoPanic snapshot of the base currency, else of the market as a whole
 *   ('*'), computed at or before `nowMs`; its panic score also feeds the panic switch.
 */
import {
	compileAlphaExpression,
	compositeAlphaScore,
	DEFAULT_ALPHA_WEIGHTS,
	onChainScore,
	technicalScore,
	type AlphaWeights,
	type CompositeAlphaScore,
	type MissingComponentPolicy,
	type TechnicalScoreOptions,
} from '../core/alpha/index.js';
import { baseAsset } from '../core/risk/RiskGate.js';
import type { Repositories } from '../storage/openStorage.js';

/** The names a custom expression may read. */
export const ALPHA_EXPRESSION_INPUTS = [
	'close', 'rsi', 'bbPercentB', 'volatilityRatio', 'netflowZ', 'lthSoprZ', 'sentimentScore', 'panicScore', 'technical', 'onchain', 'sentiment',
] as const;

export const ONCHAIN_METRICS = { netflow: 'exchange_netflow', lthSopr: 'lth_sopr' } as const;

export interface ScoreAlphaOptions {
	symbols: readonly string[];
	nowMs: number;
	exchange: string;
	timeframe: string;
	timeframeMs: number;
	lookbackBars: number;
	onchainResolution: string;
	onchainWindow: number;
	weights: AlphaWeights;
	onMissing: MissingComponentPolicy;
	customExpression: string | null;
	technical: TechnicalScoreOptions;
	/** Store each score (default true). */
	record: boolean;
}

export const SCORE_ALPHA_DEFAULTS = {
	exchange: 'binance',
	timeframe: '1h',
	timeframeMs: 3_600_000,
	lookbackBars: 300,
	onchainResolution: '24h',
	onchainWindow: 30,
	weights: DEFAULT_ALPHA_WEIGHTS,
	onMissing: 'renormalize' as MissingComponentPolicy,
	customExpression: null,
	technical: {},
	record: true,
};

export interface SymbolAlpha extends CompositeAlphaScore {
	symbol: string;
	computedAt: number;
	inputs: Record<(typeof ALPHA_EXPRESSION_INPUTS)[number], number | null>;
}

export async function scoreAlpha(repos: Repositories, options: ScoreAlphaOptions): Promise<SymbolAlpha[]> {
	// Compile once: a bad expression is the caller's input error, before any data is read.
	const custom = options.customExpression ? compileAlphaExpression(options.customExpression, ALPHA_EXPRESSION_INPUTS) : null;
	const out: SymbolAlpha[] = [];
	for (const symbol of options.symbols) {
		const asset = baseAsset(symbol);
		const now = options.nowMs;
		const tf = options.timeframeMs;
		const from = now - options.lookbackBars * tf;
		const candles = (await repos.candles.range({ exchange: options.exchange, symbol, timeframe: options.timeframe }, from, now)).filter(
			(c) => c.openTime + tf <= now,
		);
		const tech = technicalScore(
			candles.map((c) => c.close),
			options.technical,
		);

		const series = async (metric: string) =>
			(await repos.onchain.asOf(asset, metric, options.onchainResolution, now, options.onchainWindow + 1)).map((v) => v.value);
		const chain = onChainScore(await series(ONCHAIN_METRICS.netflow), await series(ONCHAIN_METRICS.lthSopr), { window: options.onchainWindow });

		const snapshot = (await repos.news.latestAtOrBefore(asset, now)) ?? (await repos.news.latestAtOrBefore('*', now));
		const sentimentScore = snapshot?.sentimentScore ?? null;
		const panicScore = snapshot?.panicScore ?? null;

		const inputs: SymbolAlpha['inputs'] = {
			close: candles.length > 0 ? candles[candles.length - 1]!.close : null,
			rsi: tech.rsi,
			bbPercentB: tech.bollingerPercentB,
			volatilityRatio: tech.volatilityRatio,
			netflowZ: chain.netflowZ,
			lthSoprZ: chain.lthSoprZ,
			sentimentScore,
			panicScore,
			technical: tech.score,
			onchain: chain.score,
			sentiment: sentimentScore,
		};
		const customValue = custom ? custom.evaluate(inputs) : null;
		const composite = compositeAlphaScore(
			{
				technical: { score: tech.score, ...(tech.score === null ? { detail: `fewer than the bars needed in ${candles.length} stored ${options.timeframe} candles` } : {}) },
				onchain: { score: chain.score, ...(chain.score === null ? { detail: `no ${options.onchainResolution} on-chain history for ${asset} (exchange netflow, LTH-SOPR)` } : {}) },
				sentiment: { score: sentimentScore, ...(sentimentScore === null ? { detail: snapshot ? 'no recent news post' : 'no sentiment snapshot stored (CryptoPanic not configured or not fetched yet)' } : {}) },
				custom: customValue === null ? { score: null, detail: 'no custom expression' } : { score: customValue.value, ...(customValue.detail ? { detail: customValue.detail } : {}) },
			},
			options.weights,
			options.onMissing,
		);
		const result: SymbolAlpha = { symbol, computedAt: now, inputs, ...composite };
		if (options.record) {
			await repos.alphaScores.record({ symbol, computedAt: now, score: result.score, partial: result.partial, components: { ...composite, inputs } });
		}
		out.push(result);
	}
	return out;
}
