/**
 * @module cli/sweep
 * `npm run sweep -- --csv BTCUSDT-1h.csv --timeframe 1h --lookback 10:100:10 --threshold 0.5:2.75:0.25
 *  --ema 50:500:50 [--stop 0.03] [--walk-forward --train 8760 --test 2190] --out sweep.json`
 *
 * A VectorBT-style grid over the strategy's parameters (ranges start:stop:step, inclusive), one
 * JSON row per combination (params, trade count, total return, metrics), the best row by Sharpe
 * with its KPI gates and the overfitting guard (Deflated Sharpe Ratio, PBO) beside it, and with
 * `--walk-forward` the stitched out-of-sample result. Progress on stderr.
 */
import { DEFAULT_STRATEGY_PARAMS } from '../core/backtest/collectEntrySignals.js';
import type { SweepGrid } from '../core/research/sweep.js';
import { formatSweepSummary } from '../report/formatSweepSummary.js';
import { runSweepReport } from '../report/runSweepReport.js';
import { numberOption, parseCliOptions, stringOption, type OptionSpec, type OptionValues } from './cliOptions.js';
import { brokerOf, candleSourceOf, COMMON_OPTIONS, COMMON_USAGE, roundSeconds, windowOf, writeOutput } from './commonOptions.js';
import { loadCandles } from './loadCandles.js';
import { parseRangeArg } from './parseRangeArg.js';
import { createProgress } from './progressBar.js';
import { isMainModule, runAsScript, type CliIo } from './runCli.js';
import { UsageError } from './UsageError.js';

const OPTIONS = {
	...COMMON_OPTIONS,
	lookback: { type: 'string' },
	threshold: { type: 'string' },
	ema: { type: 'string' },
	stop: { type: 'string' },
	'min-reward-risk': { type: 'string' },
	'pbo-blocks': { type: 'string' },
	'walk-forward': { type: 'boolean' },
	train: { type: 'string' },
	test: { type: 'string' },
	anchored: { type: 'boolean' },
	'min-trades': { type: 'string' },
} as const satisfies OptionSpec;

const D = DEFAULT_STRATEGY_PARAMS;

export const SWEEP_USAGE = `usage: npm run sweep -- --csv FILE --timeframe 1h --lookback 10:100:10 --threshold 0.5:2.75:0.25 --ema 50:500:50 [--stop 0.03] --out sweep.json

${COMMON_USAGE}
Grid (start:stop:step inclusive, or one value; defaults: the seed's Pine inputs):
  --lookback RANGE           rolling stdev window of hlc3, bars (default ${D.stdevLength})
  --threshold RANGE          band width in stdevs (default ${D.deviationThreshold})
  --ema RANGE                trend filter EMA length, bars (default ${D.trendEmaLength})
  --stop RANGE               stop distance below the signal close (default ${D.stopRatio})
  --min-reward-risk R        fixed entry filter for the whole grid (default 0 = off)
Overfitting guard and validation:
  --pbo-blocks S             CSCV blocks for the probability of backtest overfitting (even, 2-24;
                             default 16; 0 skips it)
  --walk-forward             also run a walk-forward: optimise Sharpe on --train bars, trade the
                             winner on the next --test bars, roll; report the out-of-sample record
  --train BARS --test BARS   window sizes (default 8760 and 2190: one year and a quarter of 1h bars)
  --anchored                 grow the training window from the start instead of rolling it
  --min-trades N             fewest in-sample trades for a combination to be chosen (default 1)`;

export function gridOf(v: OptionValues): SweepGrid {
	const range = (name: string, fallback: number, integer: boolean) => {
		const spec = stringOption(v, name);
		return spec === undefined ? [fallback] : parseRangeArg(spec, `--${name}`, { integer });
	};
	const grid: SweepGrid = {
		stdevLength: range('lookback', D.stdevLength, true),
		deviationThreshold: range('threshold', D.deviationThreshold, false),
		trendEmaLength: range('ema', D.trendEmaLength, true),
		stopRatio: range('stop', D.stopRatio, false),
		minRewardRisk: numberOption(v, 'min-reward-risk', { min: 0 }, 0),
	};
	if (grid.stdevLength.some((x) => x < 1)) throw new UsageError('--lookback values must be >= 1');
	if (grid.trendEmaLength.some((x) => x < 1)) throw new UsageError('--ema values must be >= 1');
	if (grid.deviationThreshold.some((x) => x < 0)) throw new UsageError('--threshold values must be >= 0');
	if (grid.stopRatio.some((x) => !(x > 0 && x < 1))) throw new UsageError('--stop values must be in (0, 1), e.g. 0.03 for 3%');
	return grid;
}

export async function sweepMain(argv: string[], io: CliIo): Promise<void> {
	const v = parseCliOptions(argv, OPTIONS);
	const grid = gridOf(v);
	const broker = brokerOf(v);
	const { fromMs, toMs } = windowOf(v);
	const pboBlocks = numberOption(v, 'pbo-blocks', { min: 0, max: 24, integer: true }, 16);
	const wfOn = v['walk-forward'] === true;
	if (!wfOn && (v.train !== undefined || v.test !== undefined || v.anchored !== undefined)) throw new UsageError('--train, --test and --anchored need --walk-forward');
	const walkForward = wfOn
		? {
				trainBars: numberOption(v, 'train', { min: 2, integer: true }, 8760)!,
				testBars: numberOption(v, 'test', { min: 2, integer: true }, 2190)!,
				anchored: v.anchored === true,
				minTrades: numberOption(v, 'min-trades', { min: 0, integer: true }, 1),
			}
		: undefined;
	const { candles, data } = await loadCandles(candleSourceOf(v));
	const bar = createProgress(io.stderr, 'combinations');
	const wfBar = createProgress(io.stderr, 'walk-forward windows');
	const started = performance.now();
	const report = runSweepReport({
		candles, data, fromMs, toMs, grid, broker, pboBlocks, walkForward,
		onProgress: (d, t) => bar.update(d, t),
		onWalkForwardProgress: (d, t) => wfBar.update(d, t),
	});
	// compute_seconds: the sweep's own time (every combination, PBO, walk-forward), not the process
	// start or the reading of the candles.
	const json = { ...report, compute_seconds: roundSeconds(performance.now() - started) };
	bar.done();
	wfBar.done();
	const text = `${JSON.stringify(json, null, 1)}\n`;
	const out = stringOption(v, 'out');
	const summary = formatSweepSummary(json);
	if (out === undefined) {
		io.stdout.write(text);
		io.stderr.write(`${summary}\n`);
	} else io.stdout.write(`${summary}\nwrote ${writeOutput(out, text)}\n`);
}

if (isMainModule(import.meta.url, 'sweep')) runAsScript(sweepMain, SWEEP_USAGE);
