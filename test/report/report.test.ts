/**
 * The backtest HTML report in a real browser: Debian's Chromium driven by playwright-core, headless,
 * no network. The report of a real backtest (BTC/USDT 1h, 2022, from the committed candle slice, a
 * parameter point that trades) is written to test-results/report.html and opened from disk; the test
 * checks that each of the three charts drew (canvas elements of non-zero size with non-blank pixels),
 * that the page logged no error, that nothing was requested outside file:// (the report is
 * self-contained), and saves a screenshot to test-results/report.png.
 *
 * Chromium is Debian's `chromium` package at /usr/bin/chromium, installed by `.ci/run`, never by a
 * test. Without it the test FAILS when `CI` is set and is skipped, with that reason, otherwise.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realCandleSlice } from '../../math-service/src/data/realCandles.test-helper';
import { renderReport } from '../../math-service/src/report/renderReport';
import { runBacktestReport } from '../../math-service/src/report/runBacktestReport';

const CHROMIUM = '/usr/bin/chromium';
const OUT_DIR = resolve(__dirname, '../../test-results');
const HTML = join(OUT_DIR, 'report.html');
const PNG = join(OUT_DIR, 'report.png');

const inCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const chromiumMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (Debian's chromium package; .ci/run installs it)`;

describe('backtest HTML report in headless Chromium', () => {
	let browser: Browser | undefined;
	let tradeCount = 0;

	beforeAll(async () => {
		const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2022, 0, 1), toMs: Date.UTC(2023, 0, 1) });
		const { json, result } = runBacktestReport({
			candles,
			data: { file: 'BTCUSDT-1h.csv', db: null, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
			fromMs: Date.UTC(2022, 1, 1),
			params: { stdevLength: 20, deviationThreshold: 0.5, trendEmaLength: 200, stopRatio: 0.02 },
		});
		tradeCount = json.trade_count;
		mkdirSync(OUT_DIR, { recursive: true });
		writeFileSync(HTML, renderReport({ json, candles, result }));
		if (chromiumMissing !== null) return;
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
	});

	afterAll(async () => {
		await browser?.close();
	});

	it('draws price, equity and drawdown charts with no console error and no request outside file://', async (ctx) => {
		if (chromiumMissing !== null) {
			ctx.skip(!inCi, chromiumMissing);
			throw new Error(`${chromiumMissing}; CI is set, so the browser test fails instead of skipping`);
		}
		expect(tradeCount, 'the parameter point must trade, or there is nothing to mark').toBeGreaterThan(20);
		const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
		const errors: string[] = [];
		const requests: string[] = [];
		page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
		page.on('pageerror', (err) => errors.push(err.message));
		page.on('request', (req) => requests.push(req.url()));
		await page.goto(pathToFileURL(HTML).href);
		await page.waitForSelector('body[data-charts-ready="true"]', { timeout: 15_000 });
		await page.waitForTimeout(300); // let the charts paint their first frame

		const panes = await page.evaluate(() => ['chart-price', 'chart-equity', 'chart-drawdown'].map((id) => {
			const canvases = [...document.querySelectorAll<HTMLCanvasElement>(`#${id} canvas`)];
			let inked = 0;
			for (const canvas of canvases) {
				if (canvas.width === 0 || canvas.height === 0) continue;
				const ctx = canvas.getContext('2d');
				if (ctx === null) continue;
				const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
				for (let i = 0; i < px.length; i += 4) {
					// Ink: an opaque pixel that is not (near) white, the background colour.
					if (px[i + 3] > 0 && (px[i] < 235 || px[i + 1] < 235 || px[i + 2] < 235)) inked++;
				}
			}
			return { id, canvases: canvases.length, sized: canvases.filter((c) => c.width > 0 && c.height > 0).length, inked };
		}));
		for (const pane of panes) {
			expect(pane.canvases, pane.id).toBeGreaterThan(0);
			expect(pane.sized, pane.id).toBeGreaterThan(0);
			expect(pane.inked, `${pane.id} has drawn pixels`).toBeGreaterThan(2000);
		}
		const rows = await page.locator('#gates tbody tr').count();
		expect(rows).toBe(12);
		expect(errors).toEqual([]);
		expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
		await page.screenshot({ path: PNG, fullPage: true });
		expect(statSync(PNG).size).toBeGreaterThan(10_000);
		await page.close();
	});
});
