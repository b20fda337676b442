// workflows/backtest-report.json in a real n8n, each tested release (scripts/n8n harness): a test copy whose two
// triggers (schedule, manual) are replaced by one webhook, and whose "last two years" is a fixed
// date, runs Run Backtest against the real math service app (in-process, SQLite in memory, real
// BTC/USDT 1h candles) and Send Message against the Telegram Bot API fake. The equity PNG must
// arrive as a multipart photo through n8n's own binary data handling, with the summary as caption.
import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApp } from '../math-service/src/app';
import { loadConfig } from '../math-service/src/config';
import { realCandleSlice } from '../math-service/src/data/realCandles.test-helper';
import { openStorage, type Storage } from '../math-service/src/storage/openStorage';
import { startFakeTelegram, type FakeTelegram } from './fakes/fakeTelegram';
import { credential, N8N_TEST_VERSIONS, startN8n, type N8nInstance } from './support/n8nHarness';

const root = join(__dirname, '..');
const API_KEY = 'bt-report-n8n-key-0123456789';
const TOKEN = '7012345678:AAH-n8n-backtest-report';
const CHAT = 123456789;
const PATH = 'backtest-report-test';

interface Node {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}

/** The shipped workflow with a webhook in place of its triggers and a fixed backtest window. */
function testCopy(): Record<string, unknown> {
	const workflow = JSON.parse(readFileSync(join(root, 'workflows', 'backtest-report.json'), 'utf8')) as {
		nodes: Node[];
		connections: Record<string, unknown>;
		[key: string]: unknown;
	};
	const triggers = workflow.nodes.filter((node) => node.type.endsWith('Trigger'));
	expect(triggers.map((node) => node.type).sort()).toEqual(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger']);
	const first = workflow.connections[triggers[0].name];
	const nodes = workflow.nodes
		.filter((node) => !triggers.includes(node))
		.map((node) => (node.type === 'n8n-nodes-highfreqquant.backtester' ? { ...node, parameters: { ...node.parameters, from: '2025-02-19' } } : node));
	nodes.push({
		id: '7b2e4d31-0000-4000-8000-0000000000f1',
		name: 'Test Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: '7b2e4d31-0000-4000-8000-0000000000f2',
		parameters: { httpMethod: 'POST', path: PATH, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	});
	const connections = Object.fromEntries(Object.entries(workflow.connections).filter(([name]) => !triggers.some((node) => node.name === name)));
	return { ...workflow, id: 'hfqBacktestTst01', nodes, connections: { ...connections, 'Test Webhook': first } };
}

describe.each(N8N_TEST_VERSIONS)('workflows/backtest-report.json in a real n8n %s', (version) => {
	let n8n: N8nInstance;
	let tg: FakeTelegram;
	let storage: Storage;
	let closeService: () => Promise<void> = async () => {};
	let serviceUrl = '';

	beforeAll(async () => {
		tg = await startFakeTelegram({ tokens: [TOKEN] });
		const candles = realCandleSlice('BTCUSDT-1h.csv', { fromMs: Date.UTC(2025, 1, 1) });
		storage = await openStorage('sqlite::memory:');
		await storage.candles.upsertMany(
			Array.from({ length: candles.length }, (_, i) => ({
				exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', openTime: candles.openTime[i],
				open: candles.open[i], high: candles.high[i], low: candles.low[i], close: candles.close[i], volume: candles.volume[i],
			})),
		);
		const config = loadConfig({ MATH_SERVICE_HOST: '127.0.0.1', MATH_SERVICE_PORT: '0', MATH_SERVICE_API_KEY: API_KEY, DATABASE_URL: 'sqlite::memory:' });
		const app = createApp({ config, storage, logError: () => {} });
		const baseUrl = (serviceUrl = await new Promise<string>((resolve) => {
			const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
				closeService = () => new Promise<void>((done) => server.close(() => done()));
				resolve(`http://127.0.0.1:${info.port}`);
			});
		}));
		n8n = await startN8n({
			version,
			workflows: [testCopy()],
			credentials: [
				credential('highFreqQuantApi', 'HighFreqQuant API', { baseUrl, apiKey: API_KEY }, 'hfqBtMathCred001'),
				credential('highFreqQuantTelegramApi', 'HighFreqQuant Telegram', { accessToken: TOKEN, chatId: String(CHAT), baseUrl: tg.url }, 'hfqBtTgCred00001'),
			],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await tg?.close();
		await closeService();
		await storage?.close();
	});

	it('backtests and posts the equity PNG with the summary as caption', async () => {
		const res = await fetch(n8n.webhookUrl(PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		const text = await res.text();
		expect(res.status, text).toBe(200);
		const json = JSON.parse(text) as Record<string, any>;
		expect(json.telegram).toMatchObject({ sent: true, method: 'sendPhoto', photo: 'equity' });
		const summary = String(json.summary);
		expect(summary).toMatch(/^BTC\/USDT 1h 2025-02-19T00:00:00Z → /);
		const [photo] = tg.callsTo('sendPhoto');
		expect(photo.status).toBe(200);
		expect(photo.fields.chat_id).toBe(String(CHAT));
		expect(String(photo.fields.caption).replace(/\r\n/g, '\n')).toBe(summary);
		expect(photo.photo?.contentType).toBe('image/png');
		expect(photo.photo?.bytes.subarray(1, 4).toString()).toBe('PNG');
		// The same backtest asked of the service directly: n8n carried its PNG byte for byte.
		const direct = await fetch(`${serviceUrl}/v1/backtests`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
			body: JSON.stringify({
				symbol: 'BTC/USDT', timeframe: '1h', exchange: 'binance', from: '2025-02-19', fee: 0.001, slippage: 0.0002, trade_limit: 20,
				params: { stdev_length: 50, deviation_threshold: 2, trend_ema_length: 50, stop_ratio: 0.03 }, include_equity_png: true,
			}),
		});
		const expected = (await direct.json()) as { summary: string; equity_png_base64: string };
		expect(expected.summary).toBe(summary);
		expect(photo.photo!.bytes.equals(Buffer.from(expected.equity_png_base64, 'base64'))).toBe(true);
		expect(tg.callsTo('sendMessage')).toHaveLength(0);
	});
});
