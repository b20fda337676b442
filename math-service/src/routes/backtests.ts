/**
 * @module routes/backtests
 * `POST /v1/backtests`: one backtest of the seed's VWAP mean-reversion strategy on TradingView's
 * broker-emulator rules, on candles from the service's database (exchange, symbol, timeframe; load
 * them with `npm run import-candles` or a crawler) or sent inline for small tests. Answers the same
 * JSON as `npm run backtest` (trades, the core's metrics, the KPI gates of both seeds with their
 * numbers), the trade list cut to `trade_limit`, an equity-curve summary and a plain-text summary a
 * workflow can post to Telegram. A backtest of stored candles is recorded in `backtest_runs` (its
 * `run_id` is answered; the LIVE gate reads the latest run, execution/livePermission); inline candles
 * are not recorded (`run_id: null`).
 * `strategy: "alpha_threshold"` backtests seed 2's alpha strategy instead (report/runAlphaBacktestReport):
 * the composite score at every bar close from the candles and, with a database, from the stored
 * on-chain versions and sentiment snapshots, each from the time it was learned; the answer's
 * `alpha` block lists the components that were missing (partial score).
 * `POST /v1/backtests/sweep`: the parameter grid, as `npm run sweep`: one row per combination, the
 * best row with its gates, the overfitting guard (deflated Sharpe, PBO) and an optional walk-forward.
 * Both compute synchronously; sweeps are capped at 2,000 combinations per request.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import type { CandleColumns } from '../core/candles';
import { HOUR_MS } from '../core/backtest/brokerOptions';
import { InvalidInputError, OperatorError } from '../errors';
import { createRouter, errorResponses, jsonBody, jsonResponse } from '../http/createRouter';
import type { DataInfo } from '../report/backtestJson';
import { equitySummary } from '../report/equitySummary';
import { formatBacktestSummary } from '../report/formatBacktestSummary';
import { formatSweepSummary } from '../report/formatSweepSummary';
import { parseRangeSpec } from '../report/parseRangeSpec';
import { backtestEquityPng } from '../report/renderEquityPng';
import { runBacktestReport } from '../report/runBacktestReport';
import { runSweepReport } from '../report/runSweepReport';
import { loadAlphaBacktestData } from '../alpha/alphaBacktestData';
import { DEFAULT_ALPHA_THRESHOLD } from '../core/signals/alphaThresholdStrategy';
import type { AlphaBacktestData } from '../report/runAlphaBacktestReport';
import { BACKTEST_STRATEGIES } from '../report/runBacktestReport';
import { backtestRunInputOf } from '../storage/backtestRuns';
import { redactDatabaseUrl } from '../storage/parseDatabaseUrl';

const MAX_COMBINATIONS = 2000;

const Time = z.union([z.number().int(), z.string()]).openapi({ description: 'Bar open time: ISO 8601 (UTC if no zone), YYYY-MM-DD, or Unix ms', example: '2024-01-01' });
const CandleTuple = z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]).openapi({ description: '[open_time_ms, open, high, low, close, volume], ascending open times' });

const Params = z
	.object({
		stdev_length: z.number().int().min(1).optional().openapi({ description: 'Rolling stdev window of hlc3, bars (seed: 50)', example: 50 }),
		deviation_threshold: z.number().min(0).optional().openapi({ description: 'Band width k in stdevs below the daily VWAP (seed: 2.0)', example: 2 }),
		trend_ema_length: z.number().int().min(1).optional().openapi({ description: 'Trend filter EMA length on close, bars (seed: 50)', example: 50 }),
		stop_ratio: z.number().gt(0).lt(1).optional().openapi({ description: 'Stop distance below the signal close (seed: 0.03 = 3%)', example: 0.03 }),
		min_reward_risk: z.number().min(0).optional().openapi({ description: 'Optional entry filter on (vwap − close)/(close − stop); 0 = off (the seed rule)', example: 0 }),
	})
	.openapi('BacktestParams', { description: 'Strategy inputs; missing ones take the seed Pine defaults (50, 2.0, 50, 3%)' });

const DataRequest = {
	exchange: z.string().min(1).default('binance').openapi({ description: 'Exchange of the stored candles', example: 'binance' }),
	symbol: z.string().min(1).openapi({ description: 'Symbol of the stored candles', example: 'BTC/USDT' }),
	timeframe: z.string().default('1h').openapi({ description: 'Bar length: 1m, 5m, 1h, 4h, 1d (sets the time-stop clock and bars per year)', example: '1h' }),
	from: Time.optional(),
	to: Time.optional(),
	fee: z.number().min(0).lt(1).optional().openapi({ description: 'Commission per side as a ratio (default 0.001 = 0.1%)', example: 0.001 }),
	slippage: z.number().min(0).lt(1).optional().openapi({ description: 'Adverse slippage on market and stop fills as a ratio (default 0.0002 = 2 bps)', example: 0.0002 }),
	initial_capital: z.number().gt(0).optional().openapi({ description: 'Starting equity, quote currency (default 10000)' }),
	position_size_ratio: z.number().gt(0).max(1).optional().openapi({ description: 'Share of equity per trade (default 0.1)' }),
	time_stop_hours: z.number().min(0).optional().openapi({ description: 'Time stop: close at the first bar close this many hours after entry (default 48); 0 switches it off', example: 48 }),
	tie_break: z.enum(['low_first', 'high_first']).optional().openapi({ description: 'Intrabar path when the open is as far from the high as from the low: low_first (default, PyneCore) or high_first (PineTS)' }),
	tick_size: z.number().gt(0).optional().openapi({ description: 'Price tick: the target is rounded up and the stop down to it (default: no rounding)' }),
	candles: z.array(CandleTuple).max(200_000).optional().openapi({ description: 'Inline candles instead of the database (small tests)' }),
	trade_limit: z.number().int().min(0).default(100).openapi({ description: 'Trades listed in the answer (all count in the metrics)', example: 100 }),
};

const AlphaParams = z
	.object({
		entry_score: z.number().min(0).max(100).optional().openapi({ description: `Enter when the composite alpha score crosses up through this (default ${DEFAULT_ALPHA_THRESHOLD.entryScore})`, example: 70 }),
		stop_loss_ratio: z.number().gt(0).lt(1).optional().openapi({ description: 'Stop below the signal close (default 0.03 = 3%)', example: 0.03 }),
		min_reward_risk: z.number().gt(0).optional().openapi({ description: 'The target sits this many stops above the signal close (default 1.5: +4.5%)', example: 1.5 }),
		allow_partial: z.boolean().optional().openapi({ description: 'Enter on a partial score (a component without data); default true' }),
		onchain: z.boolean().optional().openapi({ description: 'Read the stored on-chain series (default: when the service has a database)' }),
		sentiment: z.boolean().optional().openapi({ description: 'Read the stored sentiment snapshots (default: when the service has a database)' }),
	})
	.openapi('AlphaBacktestParams', { description: "Seed 2's alpha-threshold strategy (with strategy alpha_threshold)" });

export const BacktestRequest = z
	.object({
		...DataRequest,
		strategy: z.enum(BACKTEST_STRATEGIES).default('vwap_mean_reversion').openapi({ description: "vwap_mean_reversion (the seed's Pine strategy, `params`) or alpha_threshold (seed 2's alpha score, `alpha`)" }),
		params: Params.optional(),
		alpha: AlphaParams.optional(),
		include_equity_png: z.boolean().default(false).openapi({ description: 'Also return the equity curve and drawdown as a PNG (base64), e.g. for a Telegram photo' }),
		gates_profile: z.enum(['seed1', 'seed2']).default('seed1').openapi({ description: 'KPI profile whose verdict is recorded as the run\'s gates_passed (what the LIVE gate reads)' }),
	})
	.openapi('BacktestRequest');

const Range = z.union([z.array(z.number()).min(1), z.string()]).optional().openapi({ description: 'Values to try: a list, or "start:stop:step" inclusive (e.g. "10:100:10")' });
export const SweepRequest = z
	.object({
		...DataRequest,
		grid: z.object({ stdev_length: Range, deviation_threshold: Range, trend_ema_length: Range, stop_ratio: Range, min_reward_risk: z.number().min(0).optional() }).default({}),
		pbo_blocks: z.number().int().min(0).max(24).default(16).openapi({ description: 'CSCV blocks for the probability of backtest overfitting (even; 0 = skip)' }),
		walk_forward: z.object({ train_bars: z.number().int().min(2), test_bars: z.number().int().min(2), anchored: z.boolean().default(false), min_trades: z.number().int().min(0).default(1) }).optional(),
	})
	.openapi('SweepRequest');

const Gate = z.object({ name: z.string(), passed: z.boolean(), value: z.number().nullable(), threshold: z.number(), comparator: z.string() });
const Gates = z.object({ passed: z.boolean(), gates: z.array(Gate) }).openapi('KpiGates', { description: 'Seed KPI gates: ≥ 500 trades, ≥ 2 years, win rate ≥ 55%, profit factor ≥ 1.4, max drawdown < 15%, Sharpe > 1 (seed 1) or > 2 (seed 2); a null value fails' });
const Trade = z.object({
	entry_time: z.string().openapi({ description: 'Open time of the bar in which the entry filled, ISO 8601 UTC' }),
	entry_price: z.number(), exit_time: z.string(), exit_price: z.number(),
	exit_reason: z.enum(['target', 'stop', 'time', 'end_of_data']),
	pnl: z.number().openapi({ description: 'Net profit in quote currency after both commissions' }),
	return_ratio: z.number().openapi({ description: 'pnl ÷ entry notional' }),
}).passthrough().openapi('BacktestTrade');
const Metrics = z.record(z.string(), z.number().nullable()).openapi({ description: 'core/metrics definitions (see /v1/metrics), snake_case, null where undefined' });

export const BacktestResponse = z
	.object({
		strategy: z.string().optional().openapi({ description: 'alpha_threshold for the alpha strategy (absent for the VWAP strategy)' }),
		params: z.record(z.string(), z.union([z.number(), z.boolean()])),
		alpha: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Alpha strategy: components missing (bars), partial bars, where each component came from' }),
		broker: z.record(z.string(), z.unknown()),
		data: z.record(z.string(), z.unknown()),
		trade_count: z.number().int(),
		trades_truncated: z.boolean().optional(),
		trades: z.array(Trade),
		metrics: Metrics,
		gates: z.object({ seed1: Gates, seed2: Gates }),
		equity_summary: z.object({ points: z.array(z.object({ time: z.string(), equity: z.number() })) }).passthrough().openapi({ description: 'Equity at ≤ 100 bar closes, start/final/peak/min equity and the max drawdown of the full curve' }),
		summary: z.string().openapi({ description: 'Plain-text summary for a chat message' }),
		equity_png_base64: z.string().optional().openapi({ description: 'With include_equity_png: a 900×460 PNG of the equity curve and drawdown, base64' }),
		run_id: z.number().int().nullable().openapi({ description: 'Id of the recorded backtest_runs row (stored candles); null for inline candles, which are not recorded' }),
	})
	.openapi('BacktestResponse');

export const SweepResponse = z
	.object({
		data: z.record(z.string(), z.unknown()),
		broker: z.record(z.string(), z.unknown()),
		grid: z.record(z.string(), z.array(z.number())),
		combinations: z.number().int(),
		rows: z.array(z.object({ params: z.record(z.string(), z.number()), trade_count: z.number().int(), total_return: z.number(), metrics: z.record(z.string(), z.unknown()) })),
		best: z.record(z.string(), z.unknown()).nullable(),
		overfitting: z.record(z.string(), z.unknown()),
		walk_forward: z.record(z.string(), z.unknown()).optional(),
		summary: z.string().openapi({ description: 'Plain-text summary for a chat message' }),
	})
	.openapi('SweepResponse');

const backtestRoute = createRoute({
	method: 'post', path: '/', tags: ['backtests'],
	summary: 'Backtest the VWAP mean-reversion strategy',
	description: 'TradingView broker-emulator rules: market entry at the next open, VWAP limit and stop intrabar (OHLC path), 48 h time stop, fees and slippage. Same JSON as `npm run backtest`.',
	request: { body: jsonBody(BacktestRequest) },
	responses: { 200: jsonResponse(BacktestResponse, 'Trades, metrics, KPI gates, equity summary'), ...errorResponses },
});

const sweepRoute = createRoute({
	method: 'post', path: '/sweep', tags: ['backtests'],
	summary: 'Parameter sweep with overfitting guard',
	description: 'Every combination of the grid (≤ 2,000), best row by Sharpe with its KPI gates, deflated Sharpe and PBO, optional walk-forward. Same JSON as `npm run sweep`.',
	request: { body: jsonBody(SweepRequest) },
	responses: { 200: jsonResponse(SweepResponse, 'One row per combination, best row, overfitting guard'), ...errorResponses },
});

function parseTime(value: number | string | undefined, field: string): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'number') return value;
	const t = value.trim();
	const ms = /^\d{4}-\d{2}-\d{2}$/.test(t) ? Date.parse(`${t}T00:00:00Z`) : /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? Date.parse(t) : Date.parse(`${t}Z`);
	if (!Number.isFinite(ms)) throw new InvalidInputError(`${field} "${value}" is not a date (ISO 8601, YYYY-MM-DD or Unix ms)`, [field]);
	return ms;
}

type DataBody = z.infer<typeof BacktestRequest> | z.infer<typeof SweepRequest>;

function columnsOf(rows: readonly (readonly number[])[]): CandleColumns {
	const n = rows.length;
	const col = (k: number) => Float64Array.from(rows, (r) => r[k]);
	const c = { openTime: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5), length: n };
	for (let i = 1; i < n; i++) if (!(c.openTime[i] > c.openTime[i - 1])) throw new InvalidInputError(`candles[${i}]: open times must be strictly ascending`, ['candles', i, 0]);
	return c;
}

async function loadData(deps: AppDeps, body: DataBody): Promise<{ candles: CandleColumns; data: DataInfo; fromMs?: number; toMs?: number; stored: boolean }> {
	const fromMs = parseTime(body.from, 'from');
	const toMs = parseTime(body.to, 'to');
	const key = { exchange: body.exchange, symbol: body.symbol, timeframe: body.timeframe };
	if (body.candles !== undefined) return { candles: columnsOf(body.candles), data: { file: null, db: null, ...key }, fromMs, toMs, stored: false };
	if (deps.storage === undefined) throw new OperatorError('the math service runs without a database; send candles inline or start it with DATABASE_URL');
	const cols = await deps.storage.candles.loadColumns(key, 0, toMs ?? Number.MAX_SAFE_INTEGER);
	const length = cols.openTime.length;
	if (length === 0) throw new InvalidInputError(`no ${key.exchange} ${key.symbol} ${key.timeframe} candles stored; load them with npm run import-candles`, ['symbol']);
	return { candles: { ...cols, length }, data: { file: null, db: redactDatabaseUrl(deps.config.databaseUrl), ...key }, fromMs, toMs, stored: true };
}

const brokerOf = (b: DataBody) => ({
	...(b.fee !== undefined && { feeRatio: b.fee }),
	...(b.slippage !== undefined && { slippageRatio: b.slippage }),
	...(b.initial_capital !== undefined && { initialCapital: b.initial_capital }),
	...(b.position_size_ratio !== undefined && { positionSizeRatio: b.position_size_ratio }),
	...(b.time_stop_hours !== undefined && { timeStopMs: b.time_stop_hours === 0 ? null : b.time_stop_hours * HOUR_MS }),
	...(b.tie_break !== undefined && { tieBreak: b.tie_break }),
	...(b.tick_size !== undefined && { tickSize: b.tick_size }),
});

function rangeOf(v: number[] | string | undefined, fallback: number, field: string): number[] {
	if (v === undefined) return [fallback];
	if (Array.isArray(v)) return v;
	return parseRangeSpec(v, field, { loc: ['grid', field], maxValues: MAX_COMBINATIONS });
}

/** The stored series of the alpha strategy: read by default when the service has a database. */
async function alphaDataOf(deps: AppDeps, symbol: string, onchain: boolean | undefined, sentiment: boolean | undefined): Promise<AlphaBacktestData | undefined> {
	if (deps.storage === undefined) {
		if (onchain === true || sentiment === true) throw new OperatorError('the math service runs without a database, so it has no stored on-chain or sentiment series; start it with DATABASE_URL or leave alpha.onchain / alpha.sentiment unset');
		return undefined;
	}
	if (onchain === false && sentiment === false) return undefined;
	return loadAlphaBacktestData(deps.storage, { symbol, onchain: onchain !== false, sentiment: sentiment !== false, sourceLabel: 'database' });
}

export function backtestsRoutes(deps: AppDeps) {
	return createRouter()
		.openapi(backtestRoute, async (c) => {
			const body = c.req.valid('json');
			const { candles, data, fromMs, toMs, stored } = await loadData(deps, body);
			const p = body.params ?? {};
			const params = {
				...(p.stdev_length !== undefined && { stdevLength: p.stdev_length }),
				...(p.deviation_threshold !== undefined && { deviationThreshold: p.deviation_threshold }),
				...(p.trend_ema_length !== undefined && { trendEmaLength: p.trend_ema_length }),
				...(p.stop_ratio !== undefined && { stopRatio: p.stop_ratio }),
				...(p.min_reward_risk !== undefined && { minRewardRisk: p.min_reward_risk }),
			};
			const a = body.alpha ?? {};
			const alphaParams = {
				...(a.entry_score !== undefined && { entryScore: a.entry_score }),
				...(a.stop_loss_ratio !== undefined && { stopLossRatio: a.stop_loss_ratio }),
				...(a.min_reward_risk !== undefined && { minRewardRisk: a.min_reward_risk }),
				...(a.allow_partial !== undefined && { allowPartial: a.allow_partial }),
			};
			const alphaData = body.strategy === 'alpha_threshold' ? await alphaDataOf(deps, body.symbol, a.onchain, a.sentiment) : undefined;
			const { json, result } = runBacktestReport({ strategy: body.strategy, candles, data, fromMs, toMs, params, alphaParams, alphaData, broker: brokerOf(body), tradeLimit: body.trade_limit });
			const summary = equitySummary(result.equity, candles.openTime, result.fromIndex, result.broker.timeframeMs, result.broker.initialCapital);
			const png = body.include_equity_png ? { equity_png_base64: backtestEquityPng(json, result.equity, candles.openTime, result.fromIndex).toString('base64') } : {};
			const createdAt = deps.clock ? deps.clock.now() : Date.now();
			const run = stored && deps.storage ? await deps.storage.backtestRuns.insert(backtestRunInputOf(json, { fromTime: result.startTimeMs, toTime: result.endTimeMs, createdAt, profile: body.gates_profile, strategy: body.strategy })) : null;
			return c.json({ ...json, equity_summary: summary, summary: formatBacktestSummary(json), ...png, run_id: run?.id ?? null } as never, 200);
		})
		.openapi(sweepRoute, async (c) => {
			const body = c.req.valid('json');
			const g = body.grid;
			const grid = {
				stdevLength: rangeOf(g.stdev_length, 50, 'stdev_length'),
				deviationThreshold: rangeOf(g.deviation_threshold, 2, 'deviation_threshold'),
				trendEmaLength: rangeOf(g.trend_ema_length, 50, 'trend_ema_length'),
				stopRatio: rangeOf(g.stop_ratio, 0.03, 'stop_ratio'),
				minRewardRisk: g.min_reward_risk ?? 0,
			};
			const combinations = grid.stdevLength.length * grid.deviationThreshold.length * grid.trendEmaLength.length * grid.stopRatio.length;
			if (combinations > MAX_COMBINATIONS) throw new InvalidInputError(`the grid has ${combinations} combinations; at most ${MAX_COMBINATIONS} per request (use npm run sweep for more)`, ['grid']);
			for (const [field, values] of [['stdev_length', grid.stdevLength], ['trend_ema_length', grid.trendEmaLength]] as const) {
				if (!values.every((x) => Number.isInteger(x) && x >= 1)) throw new InvalidInputError(`${field} values must be integers >= 1`, ['grid', field]);
			}
			if (!grid.stopRatio.every((x) => x > 0 && x < 1)) throw new InvalidInputError('stop_ratio values must be in (0, 1)', ['grid', 'stop_ratio']);
			if (!grid.deviationThreshold.every((x) => x >= 0)) throw new InvalidInputError('deviation_threshold values must be >= 0', ['grid', 'deviation_threshold']);
			const { candles, data, fromMs, toMs } = await loadData(deps, body);
			const wf = body.walk_forward;
			const json = runSweepReport({
				candles, data, fromMs, toMs, grid, broker: brokerOf(body), pboBlocks: body.pbo_blocks, tradeLimit: body.trade_limit,
				walkForward: wf === undefined ? undefined : { trainBars: wf.train_bars, testBars: wf.test_bars, anchored: wf.anchored, minTrades: wf.min_trades },
			});
			return c.json({ ...json, summary: formatSweepSummary(json) } as never, 200);
		});
}
