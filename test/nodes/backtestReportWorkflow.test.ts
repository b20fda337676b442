/**
 * The weekly backtest report (workflows/backtest-report.json): its JSON is checked as n8n would
 * read it, and its two working nodes run in-process with the workflow's own parameters:
 * HighFreqQuant Backtester › Run Backtest against the real math service app (SQLite in memory,
 * real BTC/USDT 1h candles) → HighFreqQuant Telegram › Send Message against the loopback Telegram
 * fake. What the fake received must be the backtest's own equity PNG with its summary as caption.
 *
 * Also: Send Message's "Photo Binary Property" on its own (short caption, caption over Telegram's
 * 1024 characters, formatted text, item without the binary).
 */
import { serve } from '@hono/node-server';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { HighFreqQuantTelegramApi } from '../../credentials/HighFreqQuantTelegramApi.credentials';
import { createApp } from '../../math-service/src/app';
import { loadConfig } from '../../math-service/src/config';
import { realCandleSlice } from '../../math-service/src/data/realCandles.test-helper';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { Backtester } from '../../nodes/Backtester/Backtester.node';
import { HighFreqQuantTelegram } from '../../nodes/HighFreqQuantTelegram/HighFreqQuantTelegram.node';
import { n8nInstallDir } from '../../scripts/n8n/ensureN8n.mjs';
import { startFakeTelegram, type FakeTelegram } from '../fakes/fakeTelegram';
import { runNode } from '../support/nodeHarness';

const root = join(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-highfreqquant';
const API_KEY = 'backtest-report-test-key-0123456789';
const TOKEN = '7012345678:AAH-backtest-report';
const CHAT = 123456789;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]);

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, any>;
	credentials?: Record<string, { id: unknown; name: string }>;
}
interface Workflow {
	id: string;
	name: string;
	active: boolean;
	settings: Record<string, unknown>;
	nodes: WorkflowNode[];
	connections: Record<string, { main: { node: string; type: string; index: number }[][] }>;
}

const workflow = JSON.parse(readFileSync(join(root, 'workflows', 'backtest-report.json'), 'utf8')) as Workflow;
const byType = (type: string) => workflow.nodes.filter((node) => node.type === type);
const ours: Record<string, INodeType> = Object.fromEntries(
	[new Backtester(), new HighFreqQuantTelegram()].map((node) => [`${PACKAGE}.${node.description.name}`, node]),
);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };

/** n8n-nodes-base types of the pinned n8n when installed, else the ones this workflow uses. */
function baseNodeTypes(): Set<string> {
	const pkg = join(n8nInstallDir(), 'node_modules', 'n8n-nodes-base', 'package.json');
	if (!existsSync(pkg)) return new Set(['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger', 'n8n-nodes-base.stickyNote']);
	const files = (JSON.parse(readFileSync(pkg, 'utf8')) as { n8n: { nodes: string[] } }).n8n.nodes;
	return new Set(
		files.map((file) => {
			const base = file.split('/').pop()!.replace(/\.node\.js$/, '');
			return `n8n-nodes-base.${base.charAt(0).toLowerCase()}${base.slice(1)}`;
		}),
	);
}

describe('workflows/backtest-report.json', () => {
	const names = new Map(workflow.nodes.map((node) => [node.name, node]));
	const backtest = byType(`${PACKAGE}.backtester`);
	const telegram = byType(`${PACKAGE}.highFreqQuantTelegram`);

	it('has its stable id, name, UTC timezone and unique node names and ids', () => {
		expect(workflow.id).toBe('hfqBacktestRpt01');
		expect(workflow.name).toBe('HighFreqQuant: weekly backtest report');
		expect(workflow.active).toBe(false);
		expect(workflow.settings.timezone).toBe('UTC');
		expect(names.size).toBe(workflow.nodes.length);
		expect(new Set(workflow.nodes.map((node) => node.id)).size).toBe(workflow.nodes.length);
	});

	it('uses only node types that exist (this package’s manifest or n8n-nodes-base), with parameters they declare', () => {
		const base = baseNodeTypes();
		for (const node of workflow.nodes) {
			if (node.type.startsWith(`${PACKAGE}.`)) {
				const type = ours[node.type];
				expect(type, node.type).toBeDefined();
				const file = manifest.n8n.nodes.find((path) => path.toLowerCase().endsWith(`/${type.description.name.toLowerCase()}.node.js`));
				expect(file, `${node.type} in the manifest`).toBeDefined();
				const declared = new Set(type.description.properties.map((property) => property.name));
				for (const name of Object.keys(node.parameters)) expect(declared.has(name), `${node.name}.${name}`).toBe(true);
			} else {
				expect(base.has(node.type), node.type).toBe(true);
			}
		}
	});

	it('references credentials by name only (id null) with types the nodes declare', () => {
		expect(JSON.stringify(workflow)).not.toMatch(/"id":\s*"[^"]*"\s*,\s*"name":\s*"HighFreqQuant (API|Telegram)"/);
		const refs = workflow.nodes.flatMap((node) =>
			Object.entries(node.credentials ?? {}).map(([type, ref]) => {
				const declared = ours[node.type]?.description.credentials?.map((credential) => credential.name) ?? [];
				expect(declared, `${node.name} declares ${type}`).toContain(type);
				return { type, ...ref };
			}),
		);
		expect(refs).toEqual(
			expect.arrayContaining([
				{ type: 'highFreqQuantApi', id: null, name: 'HighFreqQuant API' },
				{ type: 'highFreqQuantTelegramApi', id: null, name: 'HighFreqQuant Telegram' },
			]),
		);
		for (const ref of refs) expect(ref.id).toBeNull();
	});

	it('wires Schedule (Monday 06:00) and Manual triggers → Run Backtest → Send Message, left to right', () => {
		const [schedule] = byType('n8n-nodes-base.scheduleTrigger');
		const [manual] = byType('n8n-nodes-base.manualTrigger');
		expect(schedule.parameters.rule.interval).toEqual([
			{ field: 'weeks', weeksInterval: 1, triggerAtDay: [1], triggerAtHour: 6, triggerAtMinute: 0 },
		]);
		const next = (name: string) => workflow.connections[name].main.map((targets) => targets.map((target) => target.node));
		expect(next(schedule.name)).toEqual([[backtest[0].name]]);
		expect(next(manual.name)).toEqual([[backtest[0].name]]);
		expect(next(backtest[0].name)).toEqual([[telegram[0].name]]);
		for (const [source, { main }] of Object.entries(workflow.connections)) {
			for (const target of main.flat()) {
				expect(target.type).toBe('main');
				expect(names.get(target.node)!.position[0], `${source} → ${target.node}`).toBeGreaterThan(names.get(source)!.position[0]);
			}
		}
	});

	it('backtests BTC/USDT 1h on binance over the last two years with the equity image, and sends summary + image', () => {
		expect(backtest[0].parameters).toMatchObject({ operation: 'runBacktest', symbol: 'BTC/USDT', timeframe: '1h', exchange: 'binance', attachEquityImage: true, to: '' });
		expect(backtest[0].parameters.from).toMatch(/^=\{\{ \$now\.minus\(\{ years: 2 \}\)/);
		expect(telegram[0].parameters).toMatchObject({ operation: 'sendMessage', text: '={{ $json.summary }}', parseMode: 'none', photoBinaryProperty: 'equity' });
	});

	it('explains the canvas in a sticky note, with loading the candles first', () => {
		const notes = byType('n8n-nodes-base.stickyNote').map((node) => String(node.parameters.content)).join('\n');
		expect(notes).toContain('npm run import-candles');
		expect(notes).toContain('POST /v1/candles/sync');
	});
});

let tg: FakeTelegram;
let storage: Storage;
let baseUrl = '';
let closeService: () => Promise<void> = async () => {};

beforeAll(async () => {
	tg = await startFakeTelegram({ tokens: [TOKEN] });
	// The last year of the real BTC/USDT hourly candles (ending 2026-02-19): the workflow's window.
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
	await new Promise<void>((resolve) => {
		const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
			baseUrl = `http://127.0.0.1:${info.port}`;
			closeService = () => new Promise<void>((done) => server.close(() => done()));
			resolve();
		});
	});
});
afterAll(async () => {
	await tg?.close();
	await closeService();
	await storage?.close();
});
beforeEach(() => tg.reset());

const apiCredential = () => ({ type: new HighFreqQuantApi(), data: { baseUrl, apiKey: API_KEY } });
const telegramCredential = () => ({
	type: new HighFreqQuantTelegramApi(),
	data: { accessToken: TOKEN, chatId: String(CHAT), baseUrl: tg.url },
});

/**
 * The Telegram node with the item's `equity_base64` attached as binary property `equity` (the
 * harness passes JSON only), as the Backtester hands it on in a workflow.
 */
class TelegramWithEquityInput extends HighFreqQuantTelegram {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		for (const item of this.getInputData()) {
			if (typeof item.json.equity_base64 === 'string') {
				item.binary = { equity: { data: item.json.equity_base64, mimeType: 'image/png', fileName: 'equity.png' } };
				delete item.json.equity_base64;
			}
		}
		return await HighFreqQuantTelegram.prototype.execute.call(this);
	}
}

async function sendMessage(parameters: IDataObject, input: IDataObject[]) {
	return await runNode({
		node: new TelegramWithEquityInput(),
		parameters: { operation: 'sendMessage', ...parameters },
		input,
		credentials: [telegramCredential()],
	});
}

describe('HighFreqQuant Telegram › Send Message with a photo', () => {
	it('sends the binary as a multipart photo with the text as caption when it fits 1024 characters', async () => {
		const { items, error } = await sendMessage({ text: '={{ $json.summary }}', photoBinaryProperty: 'equity' }, [
			{ summary: 'BTC/USDT 1h: 42 trades', equity_base64: PNG.toString('base64') },
		]);
		expect(error).toBeUndefined();
		expect(tg.calls.map((call) => call.method)).toEqual(['sendPhoto']);
		const [call] = tg.callsTo('sendPhoto');
		expect(call.contentType).toMatch(/^multipart\/form-data/);
		expect(call.photo?.bytes.equals(PNG)).toBe(true);
		expect(call.photo?.contentType).toBe('image/png');
		expect(call.fields.caption).toBe('BTC/USDT 1h: 42 trades');
		expect(call.fields.chat_id).toBe(String(CHAT));
		expect(call.fields.parse_mode).toBeUndefined();
		expect(items[0].json.telegram).toMatchObject({ sent: true, method: 'sendPhoto', photo: 'equity', message_ids: [1] });
	});

	it('puts the first ≤ 1024 characters (cut at a line break) in the caption and the rest in a message after the photo', async () => {
		const lines = Array.from({ length: 40 }, (_, i) => `line ${String(i).padStart(2, '0')}: ${'x'.repeat(40)}`);
		const text = lines.join('\n');
		expect(text.length).toBeGreaterThan(1024);
		const { items, error } = await sendMessage({ text, photoBinaryProperty: 'equity' }, [{ equity_base64: PNG.toString('base64') }]);
		expect(error).toBeUndefined();
		expect(tg.calls.map((call) => call.method)).toEqual(['sendPhoto', 'sendMessage']);
		// Multipart encoding sends line breaks as CRLF; Telegram shows them as line breaks.
		const caption = String(tg.callsTo('sendPhoto')[0].fields.caption);
		const rest = String(tg.callsTo('sendMessage')[0].fields.text);
		expect(caption.length).toBeLessThanOrEqual(1024);
		// 49 characters a line + CRLF: 20 lines make 1018 characters, 21 would make 1069.
		expect(caption.replace(/\r\n/g, '\n')).toBe(lines.slice(0, 20).join('\n'));
		expect(`${caption.replace(/\r\n/g, '\n')}\n${rest}`).toBe(text);
		expect(items[0].json.telegram).toMatchObject({ method: 'sendPhoto', message_ids: [expect.any(Number), expect.any(Number)] });
	});

	it('counts each line break of a caption twice, as multipart sends it (CRLF)', async () => {
		const lines = Array.from({ length: 102 }, (_, i) => `row ${String(i).padStart(5, '0')}`);
		const text = lines.join('\n');
		expect(text.length).toBe(1019);
		const { error } = await sendMessage({ text, photoBinaryProperty: 'equity' }, [{ equity_base64: PNG.toString('base64') }]);
		expect(error).toBeUndefined();
		const caption = String(tg.callsTo('sendPhoto')[0].fields.caption);
		expect(caption.length).toBeLessThanOrEqual(1024);
		// 9 characters + CRLF a line: 93 lines make 929 + 92 line breaks = 1021 as sent; 94 would make 1032.
		expect(caption.replace(/\r\n/g, '\n')).toBe(lines.slice(0, 93).join('\n'));
		expect(tg.callsTo('sendMessage')[0].fields.text).toBe(lines.slice(93).join('\n'));
	});

	it('sends formatted text over 1024 characters whole in a message after a photo without caption', async () => {
		const text = `<b>Backtest</b>\n${'<i>row</i> '.repeat(150)}`;
		const { error } = await sendMessage({ text, parseMode: 'HTML', photoBinaryProperty: 'equity' }, [{ equity_base64: PNG.toString('base64') }]);
		expect(error).toBeUndefined();
		expect(tg.calls.map((call) => call.method)).toEqual(['sendPhoto', 'sendMessage']);
		expect(tg.callsTo('sendPhoto')[0].fields.caption).toBeUndefined();
		expect(tg.callsTo('sendMessage')[0].fields).toMatchObject({ text, parse_mode: 'HTML' });
	});

	it('sends a text message as before when the item has no binary in that property', async () => {
		const { items, error } = await sendMessage({ text: 'no image this week', photoBinaryProperty: 'equity' }, [{}]);
		expect(error).toBeUndefined();
		expect(tg.calls.map((call) => call.method)).toEqual(['sendMessage']);
		expect(tg.callsTo('sendMessage')[0].fields.text).toBe('no image this week');
		expect(items[0].json.telegram).toMatchObject({ method: 'sendMessage', photo: 'none' });
	});
});

describe('backtest report: Run Backtest → Send Message with the workflow’s parameters', () => {
	it('posts the backtest’s equity PNG to Telegram with its summary as caption', async () => {
		const backtestNode = byType(`${PACKAGE}.backtester`)[0];
		const telegramNode = byType(`${PACKAGE}.highFreqQuantTelegram`)[0];
		// The workflow's `from` is "two years before now"; fixed here so the test does not depend on the clock.
		const backtest = await runNode({
			node: new Backtester(),
			parameters: { ...backtestNode.parameters, from: '2025-02-19' },
			credentials: [apiCredential()],
		});
		expect(backtest.error).toBeUndefined();
		const [result] = backtest.items;
		const summary = String(result.json.summary);
		expect(summary).toContain('BTC/USDT');
		expect(summary).toContain('KPI gates seed 1:');
		const png = Buffer.from(result.binary!.equity.data, 'base64');
		expect(png.subarray(1, 4).toString()).toBe('PNG');

		const sent = await sendMessage(telegramNode.parameters, [{ ...result.json, equity_base64: png.toString('base64') }]);
		expect(sent.error).toBeUndefined();
		const photos = tg.callsTo('sendPhoto');
		expect(photos).toHaveLength(1);
		expect(photos[0].status).toBe(200);
		expect(photos[0].photo?.bytes.equals(png)).toBe(true);
		expect(summary.length).toBeLessThanOrEqual(1024);
		expect(String(photos[0].fields.caption).replace(/\r\n/g, '\n')).toBe(summary);
		expect(tg.callsTo('sendMessage')).toHaveLength(0);
		expect(sent.items[0].json).toMatchObject({ summary, trade_count: result.json.trade_count, telegram: { sent: true, method: 'sendPhoto' } });
	});
});
