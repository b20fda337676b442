/**
 * @module alpha/alphaBacktestData
 * The point-in-time series an alpha-threshold backtest of one symbol reads from the service's
 * database: every stored version of the on-chain series the live scorer uses (exchange netflow and
 * LTH-SOPR of the base asset at the scorer's resolution, revisions included, each with the time it
 * was learned) and every sentiment snapshot of the asset and of the whole market ('*') with the time
 * it was computed. Nothing learned after `asOf` is read. An empty series stays empty: the backtest
 * then reports the component missing (partial score), never a made-up neutral value.
 */
import type { OnchainVersion, SentimentPoint } from '../core/alpha/alphaScoreColumns.js';
import { baseAsset } from '../core/risk/RiskGate.js';
import type { AlphaBacktestData } from '../report/runAlphaBacktestReport.js';
import type { Repositories } from '../storage/openStorage.js';
import { ONCHAIN_METRICS, SCORE_ALPHA_DEFAULTS } from './scoreAlpha.js';

export interface AlphaBacktestDataRequest {
	symbol: string;
	onchain: boolean;
	sentiment: boolean;
	/** Read only what was learned at or before this time (default: everything). */
	asOf?: number;
	/** On-chain resolution (default the live scorer's, 24h). */
	onchainResolution?: string;
	/** Label of the source in the JSON, e.g. the redacted database URL. */
	sourceLabel: string;
}

export async function loadAlphaBacktestData(repos: Repositories, req: AlphaBacktestDataRequest): Promise<AlphaBacktestData> {
	const asOf = req.asOf ?? Number.MAX_SAFE_INTEGER;
	const asset = baseAsset(req.symbol);
	const out: AlphaBacktestData = { sources: {} };
	if (req.onchain) {
		const resolution = req.onchainResolution ?? SCORE_ALPHA_DEFAULTS.onchainResolution;
		const series = async (metric: string): Promise<OnchainVersion[]> => repos.onchain.versionsAsOf(asset, metric, resolution, asOf);
		const netflow = await series(ONCHAIN_METRICS.netflow);
		const lthSopr = await series(ONCHAIN_METRICS.lthSopr);
		out.onchain = { netflow, lthSopr };
		out.sources!.onchain = `${req.sourceLabel} (${asset} ${resolution}: ${netflow.length} netflow, ${lthSopr.length} LTH-SOPR versions)`;
	}
	if (req.sentiment) {
		const points = async (currency: string): Promise<SentimentPoint[]> =>
			(await repos.news.snapshotsAsOf(currency, asOf)).map((s) => ({ computedAt: Number(s.computedAt), sentimentScore: s.sentimentScore, panicScore: s.panicScore }));
		const assetPoints = await points(asset);
		const market = await points('*');
		out.sentiment = { asset: assetPoints, market };
		out.sources!.sentiment = `${req.sourceLabel} (${assetPoints.length} ${asset} and ${market.length} market snapshots)`;
	}
	return out;
}
