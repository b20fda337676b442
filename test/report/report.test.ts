/**
 * The backtest HTML report in a real browser: Debian's Chromium driven by playwright-core, headless,
 * no network. The report of a real backtest (BTC/USDT 1h, 2021, a parameter point that trades) is
 * written to test-results/report.html and opened from disk; the test checks that each of the three
 * charts drew (canvas elements of non-zero size with non-blank pixels), that the page logged no
 * error, that nothing was requested outside file:// (the report is self-contained), and saves a
 * screenshot to test-results/report.png.
 *
 * Set-up: installs the `chromium` package with apt-get when /usr/bin/chromium is missing. The test
 * is skipped, with the reason printed, only when that installation fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ohlcvDir, readOhlcvCsv } from '../../math-service/src/data/readOhlcvCsv';
import { renderReport } from '../../math-service/src/report/renderReport';
import { runBacktestReport } from '../../math-service/src/report/runBacktestReport';

const CHROMIUM = '/usr/bin/chromium';
const OUT_DIR = resolve(__dirname, '../../test-results');
const HTML = join(OUT_DIR, 'report.html');
const PNG = join(OUT_DIR, 'report.png');

function ensureChromium(): string | null {
	if (existsSync(CHROMIUM)) return null;
	try {
		execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'pipe', timeout: 540_000 });
	} catch (error) {
		try {
			execFileSync('apt-get', ['update'], { stdio: 'pipe', timeout: 240_000 });
			execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'pipe', timeout: 540_000 });
		} catch (again) {
			return `apt-get install -y chromium failed: ${(again as Error).message.split('\n')[0]}`;
		}
	}
	return existsSync(CHROMIUM) ? null : `apt-get installed chromium but ${CHROMIUM} is missing`;
}

const skipReason = ensureChromium();
if (skipReason !== null) console.warn(`SKIPPED report browser test: ${skipReason}`);

describe.skipIf(skipReason !== null)('backtest HTML report in headless Chromium', () => {
	let browser: Browser;
	let tradeCount = 0;

	beforeAll(async () => {
		const candles = readOhlcvCsv(join(ohlcvDir(), 'BTCUSDT-1h.csv'), { toMs: Date.UTC(2022, 0, 1) });
		const { json, result } = runBacktestReport({
			candles,
			data: { file: 'BTCUSDT-1h.csv', db: null, exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
			fromMs: Date.UTC(2021, 0, 1),
			params: { stdevLength: 20, deviationThreshold: 0.5, trendEmaLength: 200, stopRatio: 0.02 },
		});
		tradeCount = json.trade_count;
		mkdirSync(OUT_DIR, { recursive: true });
		writeFileSync(HTML, renderReport({ json, candles, result }));
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
	});

	afterAll(async () => {
		await browser?.close();
	});

	it('draws price, equity and drawdown charts with no console error and no request outside file://', async () => {
		expect(tradeCount, 'the parameter point must trade, or there is nothing to mark').toBeGreaterThan(20);
		const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
