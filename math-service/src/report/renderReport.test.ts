import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../core/candles.js';
import type { BacktestJson } from './backtestJson.js';
import { lightweightChartsScript, renderReport } from './renderReport.js';

const MINUTE = 60_000;

function syntheticMillion(): CandleColumns {
	const n = 1_000_000;
	const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(i));
	const mid = (i: number) => 30_000 + 2_000 * Math.sin(i / 50_000);
	return { openTime: f((i) => Date.UTC(2024, 0, 1) + i * MINUTE), open: f(mid), high: f((i) => mid(i) + 5), low: f((i) => mid(i) - 5), close: f((i) => mid(i) + 1), volume: f(() => 1), length: n };
}

function jsonFor(symbol: string, tradeCount: number): BacktestJson {
	const gates = { passed: false, gates: [{ name: 'trade_count', passed: false, value: tradeCount, threshold: 500, comparator: '>=' }] };
	return {
		params: { stdev_length: 50, deviation_threshold: 2, trend_ema_length: 50, stop_ratio: 0.03, min_reward_risk: 0 },
		broker: { fee_ratio: 0.001, slippage_ratio: 0.0002 },
		data: { file: null, db: null, exchange: null, symbol, timeframe: '1m', from: '2024-01-01T00:00:00Z', to: '2025-11-26T10:40:00Z', bars: 1_000_000, warmup_bars: 0 },
		trade_count: tradeCount,
		trades: [],
		metrics: { trade_count: tradeCount, win_rate: null, sharpe_ratio: -1.5, max_drawdown_ratio: 0.12, initial_capital: 10_000 },
		gates: { seed1: gates, seed2: gates },
	};
}

describe('renderReport', () => {
	const candles = syntheticMillion();
	const equity = Float64Array.from({ length: candles.length }, (_, i) => 10_000 - i / 1000);
	const trades = Array.from({ length: 3000 }, (_, k) => ({ entryIndex: k * 300 + 1, exitIndex: k * 300 + 40, pnl: k % 2 ? 1 : -1, exitReason: 'target' })) as never[];
	const html = renderReport({ json: jsonFor('BTC/USDT', 3000), candles, result: { fromIndex: 0, toIndex: candles.length, equity, trades } });

	it('downsamples a million 1m bars to a page of a few hundred kilobytes plus the library', () => {
		const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]);
		expect(data.series.barsPerPoint).toBe(500);
		expect(data.series.candles).toHaveLength(2000);
		expect(data.series.equity).toHaveLength(2000);
		expect(data.series.markedTrades).toBe(2000);
		expect(html.length - lightweightChartsScript().length).toBeLessThan(1_000_000);
		expect(html).toContain('Markers for the first 2000 of 3000 trades');
	});

	it('is self-contained: the chart library inline, nothing loaded from elsewhere', () => {
		expect(html).toContain(lightweightChartsScript().slice(0, 200));
		expect(html).not.toMatch(/<script[^>]+src=/i);
		expect(html).not.toMatch(/<link[^>]+href=/i);
		expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
	});

	it('escapes text that could end a script or inject markup', () => {
		const small: CandleColumns = { ...candles, length: 100 };
		const evil = renderReport({ json: jsonFor('</script><img src=x onerror=alert(1)>', 0), candles: small, result: { fromIndex: 0, toIndex: 100, equity: equity.subarray(0, 100), trades: [] } });
		expect(evil).not.toContain('<img src=x');
		expect(evil.match(/<\/script>/g)!.length).toBe(3); // the data block, the library, the client script
	});
});
