/**
 * @module report/renderReport
 * One self-contained HTML file for a backtest: TradingView's lightweight-charts library and the
 * data are inlined (no network request when it is opened, from disk or as an e-mail attachment),
 * showing the price chart with every trade's entry and exit marked, the equity curve, the
 * drawdown, the metrics, the KPI gates with their numbers, and the first trades of the list.
 * Large backtests are downsampled (report/reportData.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CandleColumns } from '../core/candles.js';
import type { BacktestResult } from '../core/backtest/runBacktest.js';
import type { BacktestJson, GatesJson } from './backtestJson.js';
import { REPORT_CLIENT_SCRIPT } from './reportClientScript.js';
import { buildReportSeries } from './reportData.js';

export interface ReportInput {
	json: BacktestJson;
	candles: CandleColumns;
	result: Pick<BacktestResult, 'fromIndex' | 'toIndex' | 'equity' | 'trades'>;
	/** Trades listed in the table (default 500). */
	tradeRows?: number;
}

let libraryCache: string | undefined;

/** The standalone (global `LightweightCharts`) production build, read once from node_modules. */
export function lightweightChartsScript(): string {
	if (libraryCache === undefined) {
		const pkg = createRequire(import.meta.url).resolve('lightweight-charts/package.json');
		libraryCache = readFileSync(join(dirname(pkg), 'dist/lightweight-charts.standalone.production.js'), 'utf8');
	}
	return libraryCache;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside <script>: no `</script>`, no `<!--`. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
const inlineScript = (code: string) => code.replace(/<\/script/gi, '<\\/script');

const RATIO_METRICS = /(_ratio$|^win_rate$)/;
const NOT_PERCENT = new Set(['sharpe_ratio', 'sortino_ratio', 'calmar_ratio', 'omega_ratio', 'tail_ratio', 'payoff_ratio', 'position_size_ratio']);

function formatMetric(name: string, value: number | null): string {
	if (value === null) return 'n/a';
	if (RATIO_METRICS.test(name) && !NOT_PERCENT.has(name)) return `${(value * 100).toFixed(2)}%`;
	if (Number.isInteger(value)) return value.toLocaleString('en-US');
	return Math.abs(value) >= 1000 ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : value.toPrecision(6);
}

function gatesRows(profile: string, g: GatesJson): string {
	return g.gates
		.map((gate) => `<tr class="${gate.passed ? 'pass' : 'fail'}"><td>${profile}</td><td>${gate.name}</td><td>${formatMetric(gate.name === 'max_drawdown' ? 'max_drawdown_ratio' : gate.name, gate.value)}</td><td>${escapeHtml(gate.comparator)} ${gate.threshold}</td><td>${gate.passed ? 'pass' : 'FAIL'}</td></tr>`)
		.join('');
}

export function renderReport(input: ReportInput): string {
	const { json } = input;
	const series = buildReportSeries(input.candles, input.result);
	const d = json.data;
	const title = `${d.symbol} ${d.timeframe} backtest ${d.from.slice(0, 10)} → ${d.to.slice(0, 10)}`;
	const metrics = Object.entries(json.metrics).map(([k, v]) => `<tr><td>${k}</td><td>${formatMetric(k, v)}</td></tr>`).join('');
	const params = Object.entries(json.params).map(([k, v]) => `${k} ${v}`).join(' · ');
	const tradeRows = json.trades.slice(0, input.tradeRows ?? 500).map((t, i) =>
		`<tr class="${t.pnl >= 0 ? 'pass' : 'fail'}"><td>${i + 1}</td><td>${t.entry_time}</td><td>${t.entry_price.toPrecision(8)}</td><td>${t.exit_time}</td><td>${t.exit_price.toPrecision(8)}</td><td>${t.exit_reason}</td><td>${t.pnl.toFixed(2)}</td><td>${(t.return_ratio * 100).toFixed(2)}%</td></tr>`).join('');
	const downsampleNote = series.barsPerPoint > 1 ? `Charts show ${series.candles.length.toLocaleString('en-US')} points of ${series.barsPerPoint} bars each (${d.bars.toLocaleString('en-US')} bars).` : `${d.bars.toLocaleString('en-US')} bars.`;
	const markerNote = series.markedTrades < series.tradeCount ? ` Markers for the first ${series.markedTrades} of ${series.tradeCount} trades.` : '';
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 24px; color: #131722; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.sub { color: #555; font-size: 13px; margin-bottom: 12px; }
.chart { width: 100%; margin-bottom: 8px; border: 1px solid #e0e3eb; }
.grid { display: flex; gap: 32px; flex-wrap: wrap; align-items: flex-start; }
table { border-collapse: collapse; font-size: 13px; } td, th { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; }
tr.pass td:last-child { color: #089981; } tr.fail td:last-child { color: #f23645; font-weight: 600; }
.verdict { font-weight: 700; } .verdict.fail { color: #f23645; } .verdict.pass { color: #089981; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="sub">${escapeHtml(params)} · fee ${json.broker.fee_ratio} · slippage ${json.broker.slippage_ratio} · ${json.trade_count} trades ·
KPI gates seed 1: <span class="verdict ${json.gates.seed1.passed ? 'pass' : 'fail'}">${json.gates.seed1.passed ? 'PASS' : 'FAIL'}</span> ·
seed 2: <span class="verdict ${json.gates.seed2.passed ? 'pass' : 'fail'}">${json.gates.seed2.passed ? 'PASS' : 'FAIL'}</span></div>
<div class="sub">${escapeHtml(downsampleNote + markerNote)} B = entry, TP = target, SL = stop, T = time stop, E = end of data. Times UTC.</div>
<h2>Price and trades</h2><div id="chart-price" class="chart"></div>
<h2>Equity (${escapeHtml(String(json.metrics.initial_capital))} start, quote currency)</h2><div id="chart-equity" class="chart"></div>
<h2>Drawdown</h2><div id="chart-drawdown" class="chart"></div>
<div class="grid">
<div><h2>Metrics</h2><table id="metrics"><tbody>${metrics}</tbody></table></div>
<div><h2>KPI gates</h2><table id="gates"><thead><tr><th>profile</th><th>gate</th><th>value</th><th>needs</th><th>result</th></tr></thead><tbody>${gatesRows('seed 1', json.gates.seed1)}${gatesRows('seed 2', json.gates.seed2)}</tbody></table></div>
</div>
<h2>List of trades${json.trades.length > (input.tradeRows ?? 500) ? ` (first ${input.tradeRows ?? 500} of ${json.trade_count})` : ''}</h2>
<table id="trades"><thead><tr><th>#</th><th>entry time</th><th>entry</th><th>exit time</th><th>exit</th><th>reason</th><th>pnl</th><th>return</th></tr></thead><tbody>${tradeRows}</tbody></table>
<script type="application/json" id="report-data">${scriptJson({ series })}</script>
<script>${inlineScript(lightweightChartsScript())}</script>
<script>${inlineScript(REPORT_CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
