/**
 * @module cli/backtest
 * `npm run backtest -- --csv BTCUSDT-1h.csv --timeframe 1h [--from … --to …] [--fee … --slippage …]
 * [--stdev-length 50 --threshold 2 --ema 50 --stop 0.03] [--html report.html] --out result.json`
 *
 * One backtest of the seed's VWAP mean-reversion strategy on TradingView's broker-emulator rules
 * (core/backtest): JSON with the trades, the core's metrics, the KPI gates (report/backtestJson.ts)
 * and `compute_seconds` (the engine's time, without start-up and candle loading),
 * optionally a self-contained HTML report. Defaults are the seed's Pine inputs (50, 2.0, 50, 3%).
 * A backtest of `--db` candles (or any with `--record`) is recorded in that database's
 * `backtest_runs` (with `--record` and a CSV: in DATABASE_URL), the evidence the LIVE gate reads;
 * the run id is printed with the summary.
 * `--strategy alpha-threshold [--entry-score 70] [--onchain] [--sentiment]`: seed 2's alpha strategy
 * instead (report/runAlphaBacktestReport.ts), its score from the candles and, with `--onchain` /
 * `--sentiment`, from the point-in-time series stored in `--db` or DATABASE_URL.
 */
import { loadAlphaBacktestData } from '../alpha/alphaBacktestData.js';
import { DEFAULT_STRATEGY_PARAMS, type StrategyParams } from '../core/backtest/collectEntrySignals.js';
import { DEFAULT_ALPHA_THRESHOLD, type AlphaThresholdParams } from '../core/signals/alphaThresholdStrategy.js';
import { KPI_PROFILES, type KpiProfile } from '../core/gates/kpiGates.js';
import { backtestRunInputOf } from '../storage/backtestRuns.js';
import { openStorage } from '../storage/openStorage.js';
import { redactDatabaseUrl } from '../storage/parseDatabaseUrl.js';
import { formatBacktestSummary } from '../report/formatBacktestSummary.js';
import { renderReport } from '../report/renderReport.js';
import type { AlphaBacktestData } from '../report/runAlphaBacktestReport.js';
import { runBacktestReport, type BacktestStrategy } from '../report/runBacktestReport.js';
import { numberOption, parseCliOptions, stringOption, type OptionSpec, type OptionValues } from './cliOptions.js';
import { brokerOf, candleSourceOf, COMMON_OPTIONS, COMMON_USAGE, roundSeconds, windowOf, writeOutput } from './commonOptions.js';
import { loadCandles, resolveDatabaseUrl } from './loadCandles.js';
import { isMainModule, runAsScript, type CliIo } from './runCli.js';
import { UsageError } from './UsageError.js';

const OPTIONS = {
	...COMMON_OPTIONS,
	'stdev-length': { type: 'string' },
	threshold: { type: 'string' },
	ema: { type: 'string' },
	stop: { type: 'string' },
	'min-reward-risk': { type: 'string' },
	html: { type: 'string' },
	record: { type: 'boolean' },
	'gates-profile': { type: 'string' },
	strategy: { type: 'string' },
	'entry-score': { type: 'string' },
	'full-score-only': { type: 'boolean' },
	onchain: { type: 'boolean' },
	sentiment: { type: 'boolean' },
} as const satisfies OptionSpec;

export const BACKTEST_USAGE = `usage: npm run backtest -- --csv FILE [options] [--out result.json] [--html report.html]
       npm run backtest -- --db DATABASE_URL --exchange binance --symbol BTC/USDT --timeframe 1h [options]

${COMMON_USAGE}
  --html FILE                also write a self-contained HTML report (equity, drawdown, trades on the price chart)
  --record                   record the run in backtest_runs (always with --db; a CSV run goes into DATABASE_URL)
  --gates-profile P          KPI profile of the recorded verdict: seed1 (default, Sharpe > 1) or seed2 (Sharpe > 2)
Strategy (defaults: the seed's Pine inputs):
  --stdev-length N           rolling stdev window of hlc3, bars (default ${DEFAULT_STRATEGY_PARAMS.stdevLength})
  --threshold K              band width in stdevs below the daily VWAP (default ${DEFAULT_STRATEGY_PARAMS.deviationThreshold})
  --ema N                    trend filter EMA length, bars (default ${DEFAULT_STRATEGY_PARAMS.trendEmaLength})
  --stop RATIO               stop distance below the signal close (default ${DEFAULT_STRATEGY_PARAMS.stopRatio} = 3%)
  --min-reward-risk R        optional entry filter (default 0 = off, the seed's rule)
Seed 2's alpha strategy (--strategy alpha-threshold; default vwap-mean-reversion):
  --entry-score S            enter when the composite alpha score crosses up through S (default ${DEFAULT_ALPHA_THRESHOLD.entryScore})
  --stop RATIO               stop below the signal close (default ${DEFAULT_ALPHA_THRESHOLD.stopLossRatio} = 3%)
  --min-reward-risk R        the target sits R stops above the signal close (default ${DEFAULT_ALPHA_THRESHOLD.minRewardRisk}: +4.5%)
  --full-score-only          no entry on a partial score (a component without data); default: allowed
  --onchain                  on-chain component from the stored Glassnode series (--db or DATABASE_URL)
  --sentiment                sentiment component from the stored CryptoPanic snapshots (--db or DATABASE_URL)
                             each value counts from the time it was learned; without them the score is
                             the technical component alone (partial), and the JSON's alpha block says so`;

export function strategyParamsOf(v: OptionValues): Partial<StrategyParams> {
	const p: Partial<StrategyParams> = {};
	const stdevLength = numberOption(v, 'stdev-length', { min: 1, integer: true });
	const threshold = numberOption(v, 'threshold', { min: 0 });
	const ema = numberOption(v, 'ema', { min: 1, integer: true });
	const stop = numberOption(v, 'stop', { min: Number.MIN_VALUE, max: 1, maxExclusive: true });
	const minRr = numberOption(v, 'min-reward-risk', { min: 0 });
	if (stdevLength !== undefined) p.stdevLength = stdevLength;
	if (threshold !== undefined) p.deviationThreshold = threshold;
	if (ema !== undefined) p.trendEmaLength = ema;
	if (stop !== undefined) p.stopRatio = stop;
	if (minRr !== undefined) p.minRewardRisk = minRr;
	return p;
}

const STRATEGY_NAMES: Record<string, BacktestStrategy> = { 'vwap-mean-reversion': 'vwap_mean_reversion', 'alpha-threshold': 'alpha_threshold' };
const VWAP_ONLY = ['stdev-length', 'threshold', 'ema'];
const ALPHA_ONLY = ['entry-score', 'full-score-only', 'onchain', 'sentiment'];

export function strategyOf(v: OptionValues): BacktestStrategy {
	const name = stringOption(v, 'strategy') ?? 'vwap-mean-reversion';
	const strategy = STRATEGY_NAMES[name] ?? STRATEGY_NAMES[name.replace(/_/g, '-')];
	if (strategy === undefined) throw new UsageError(`--strategy must be vwap-mean-reversion or alpha-threshold, not "${name}"`);
	const foreign = (strategy === 'alpha_threshold' ? VWAP_ONLY : ALPHA_ONLY).filter((o) => v[o] !== undefined);
	if (foreign.length > 0) throw new UsageError(`${foreign.map((o) => `--${o}`).join(', ')} ${foreign.length > 1 ? 'are options' : 'is an option'} of the other strategy, not of ${name}`);
	return strategy;
}

export function alphaParamsOf(v: OptionValues): Partial<AlphaThresholdParams> {
	const p: Partial<AlphaThresholdParams> = {};
	const entryScore = numberOption(v, 'entry-score', { min: 0, max: 100 });
	const stop = numberOption(v, 'stop', { min: Number.MIN_VALUE, max: 1, maxExclusive: true });
	const minRr = numberOption(v, 'min-reward-risk', { min: Number.MIN_VALUE });
	if (entryScore !== undefined) p.entryScore = entryScore;
	if (stop !== undefined) p.stopLossRatio = stop;
	if (minRr !== undefined) p.minRewardRisk = minRr;
	if (v['full-score-only'] === true) p.allowPartial = false;
	return p;
}

/** The stored on-chain / sentiment series asked for with --onchain / --sentiment, from --db or DATABASE_URL. */
async function alphaDataOf(v: OptionValues, symbol: string): Promise<AlphaBacktestData | undefined> {
	const onchain = v.onchain === true;
	const sentiment = v.sentiment === true;
	if (!onchain && !sentiment) return undefined;
	const raw = stringOption(v, 'db') ?? process.env.DATABASE_URL;
	if (raw === undefined || raw.trim() === '') throw new UsageError('--onchain and --sentiment read the stored series: give --db DATABASE_URL or set DATABASE_URL');
	const url = resolveDatabaseUrl(raw, process.env.INIT_CWD ?? process.cwd());
	const storage = await openStorage(url);
	try {
		return await loadAlphaBacktestData(storage, { symbol, onchain, sentiment, sourceLabel: redactDatabaseUrl(url) });
	} finally {
		await storage.close();
	}
}

export async function backtestMain(argv: string[], io: CliIo): Promise<void> {
	const v = parseCliOptions(argv, OPTIONS);
	const strategy = strategyOf(v);
	const params = strategy === 'alpha_threshold' ? {} : strategyParamsOf(v);
	const alphaParams = strategy === 'alpha_threshold' ? alphaParamsOf(v) : undefined;
	const broker = brokerOf(v);
	const { fromMs, toMs } = windowOf(v);
	const profile = (stringOption(v, 'gates-profile') ?? 'seed1') as KpiProfile;
	if (!(profile in KPI_PROFILES)) throw new UsageError(`--gates-profile must be seed1 or seed2, not "${profile}"`);
	const recordUrl = stringOption(v, 'db') ?? (v.record === true ? process.env.DATABASE_URL : undefined);
	if (v.record === true && (recordUrl === undefined || recordUrl.trim() === '')) throw new UsageError('--record needs --db or DATABASE_URL (the database to record the run in)');
	const { candles, data } = await loadCandles(candleSourceOf(v));
	const alphaData = strategy === 'alpha_threshold' ? await alphaDataOf(v, data.symbol) : undefined;
	// compute_seconds: the engine's own time (indicators, signals, fills, metrics, the JSON), not the
	// process start or the reading of the candles.
	const started = performance.now();
	const report = runBacktestReport({ strategy, candles, data, fromMs, toMs, params, alphaParams, alphaData, broker });
	const { result } = report;
	const json = { ...report.json, compute_seconds: roundSeconds(performance.now() - started) };
	const text = `${JSON.stringify(json, null, 2)}\n`;
	const out = stringOption(v, 'out');
	const html = stringOption(v, 'html');
	const notes: string[] = [];
	if (recordUrl !== undefined) {
		const url = resolveDatabaseUrl(recordUrl, process.env.INIT_CWD ?? process.cwd());
		const storage = await openStorage(url);
		try {
			const run = await storage.backtestRuns.insert(backtestRunInputOf(json, { fromTime: result.startTimeMs, toTime: result.endTimeMs, createdAt: Date.now(), profile, strategy }));
			notes.push(`recorded backtest run #${run.id} in ${redactDatabaseUrl(url)} (${profile} gates ${run.gatesPassed ? 'PASS' : 'FAIL'})`);
		} finally {
			await storage.close();
		}
	}
	if (out !== undefined) notes.push(`wrote ${writeOutput(out, text)}`);
	if (html !== undefined) notes.push(`wrote ${writeOutput(html, renderReport({ json, candles, result }))}`);
	const summary = `${formatBacktestSummary(json)}\n${notes.join('\n')}${notes.length ? '\n' : ''}`;
	if (out === undefined) {
		io.stdout.write(text);
		io.stderr.write(summary);
	} else io.stdout.write(summary);
}

if (isMainModule(import.meta.url, 'backtest')) runAsScript(backtestMain, BACKTEST_USAGE);
