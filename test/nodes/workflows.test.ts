/**
 * The shipped workflows (workflows/*.json, importable into a stock self-hosted n8n 2.8.4) are
 * checked as n8n would read them: every node type exists (this package's manifest or n8n's
 * n8n-nodes-base), credentials are referenced by name with no id, every connection joins existing
 * nodes on existing outputs, every parameter is one the node declares, and every threshold of
 * Signal Intake and Risk Sizer › Decide is written out (visible on the canvas).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodeType } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { AlphaScore } from '../../nodes/AlphaScore/AlphaScore.node';
import { Backtester } from '../../nodes/Backtester/Backtester.node';
import { CryptoPanic } from '../../nodes/CryptoPanic/CryptoPanic.node';
import { DeskControl } from '../../nodes/DeskControl/DeskControl.node';
import { Glassnode } from '../../nodes/Glassnode/Glassnode.node';
import { HighFreqQuantTelegram } from '../../nodes/HighFreqQuantTelegram/HighFreqQuantTelegram.node';
import { MarketData } from '../../nodes/MarketData/MarketData.node';
import { RiskMonitor } from '../../nodes/RiskMonitor/RiskMonitor.node';
import { RiskSizer } from '../../nodes/RiskSizer/RiskSizer.node';
import { SignalIntake } from '../../nodes/SignalIntake/SignalIntake.node';
import { SignalScan } from '../../nodes/SignalScan/SignalScan.node';
import { n8nInstallDir } from '../../scripts/n8n/ensureN8n.mjs';

const root = join(__dirname, '..', '..');
const PACKAGE = 'n8n-nodes-highfreqquant';
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	onError?: string;
	webhookId?: string;
}
interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: { node: string; type: string; index: number }[][] }>;
	settings?: Record<string, unknown>;
}

const ours: Record<string, INodeType> = Object.fromEntries(
	[new SignalIntake(), new RiskSizer(), new HighFreqQuantTelegram(), new Backtester(), new MarketData(), new AlphaScore(), new Glassnode(), new CryptoPanic(), new RiskMonitor(), new SignalScan(), new DeskControl()].map((node) => [`${PACKAGE}.${node.description.name}`, node]),
);

/** n8n-nodes-base types of the pinned n8n when installed (scripts/n8n/ensureN8n.mjs), else the few these workflows use. */
function baseNodeTypes(): { types: Set<string>; source: string } {
	const pkg = join(n8nInstallDir(), 'node_modules', 'n8n-nodes-base', 'package.json');
	if (existsSync(pkg)) {
		const files = (JSON.parse(readFileSync(pkg, 'utf8')) as { n8n: { nodes: string[] } }).n8n.nodes;
		const types = new Set<string>();
		for (const file of files) {
			const base = file.split('/').pop()!.replace(/\.node\.js$/, '');
			types.add(`n8n-nodes-base.${base.charAt(0).toLowerCase()}${base.slice(1)}`);
		}
		return { types, source: pkg };
	}
	return { types: new Set(['n8n-nodes-base.webhook', 'n8n-nodes-base.respondToWebhook', 'n8n-nodes-base.stickyNote', 'n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger']), source: 'fallback list' };
}

const workflowFiles = readdirSync(join(root, 'workflows')).filter((file) => file.endsWith('.json'));
const load = (file: string) => JSON.parse(readFileSync(join(root, 'workflows', file), 'utf8')) as Workflow;

/** Every parameter name a description declares (top level and inside collections). */
function declaredNames(properties: INodeProperties[]): Set<string> {
	return new Set(properties.map((property) => property.name));
}

describe('workflows/*.json', () => {
	it('ships the two pipeline workflows and the daily report', () => {
		expect(workflowFiles).toEqual(expect.arrayContaining(['tradingview-signal.json', 'telegram-buttons.json', 'daily-report.json']));
	});

	it('ships the heartbeat workflows', () => {
		expect(workflowFiles).toEqual(expect.arrayContaining(['heartbeat-market-data.json', 'heartbeat-onchain-sentiment.json', 'heartbeat-risk-monitor.json', 'heartbeat-signal-scan.json']));
	});

	it("lists this package's node types in the package.json manifest", () => {
		for (const type of Object.keys(ours)) {
			const name = ours[type].description.name;
			const file = manifest.n8n.nodes.find((path) => path.toLowerCase().endsWith(`/${name.toLowerCase()}.node.js`));
			expect(file, `${type} in the manifest`).toBeDefined();
		}
	});

	for (const file of workflowFiles) {
		describe(file, () => {
			const workflow = load(file);
			const byName = new Map(workflow.nodes.map((node) => [node.name, node]));

			it('has a stable id, a name and unique node names, ids and webhook ids', () => {
				expect(workflow.id).toMatch(/^[A-Za-z0-9]{16}$/);
				expect(workflow.name).toMatch(/^HighFreqQuant: /);
				expect(byName.size).toBe(workflow.nodes.length);
				expect(new Set(workflow.nodes.map((node) => node.id)).size).toBe(workflow.nodes.length);
				const hooks = workflow.nodes.filter((node) => node.webhookId).map((node) => node.webhookId);
				expect(new Set(hooks).size).toBe(hooks.length);
			});

			it('uses only node types that exist: this package (manifest) or n8n-nodes-base', () => {
				const base = baseNodeTypes();
				for (const node of workflow.nodes) {
					if (node.type.startsWith(`${PACKAGE}.`)) expect(ours[node.type], node.type).toBeDefined();
					else expect(base.types.has(node.type), `${node.type} in ${base.source}`).toBe(true);
				}
			});

			it('references credentials by name only (id null), with types the node declares', () => {
				expect(JSON.stringify(workflow)).not.toMatch(/"credentials":\s*\{[^}]*"id":\s*"/);
				for (const node of workflow.nodes) {
					for (const [type, ref] of Object.entries(node.credentials ?? {})) {
						expect(ref, `${node.name}.${type}`).toEqual({ id: null, name: expect.any(String) });
						const declared = ours[node.type]?.description.credentials?.map((credential) => credential.name) ?? [];
						expect(declared, `${node.name} declares ${type}`).toContain(type);
					}
				}
			});

			it('connects existing nodes on existing outputs, left to right', () => {
				for (const [source, { main }] of Object.entries(workflow.connections)) {
					const from = byName.get(source);
					expect(from, `source ${source}`).toBeDefined();
					const nodeType = ours[from!.type];
					const outputs = nodeType ? (nodeType.description.outputs as unknown[]).length : 1;
					const errorOutput = from!.onError === 'continueErrorOutput' ? 1 : 0;
					expect(main.length, `${source} outputs`).toBeLessThanOrEqual(outputs + errorOutput);
					for (const targets of main) {
						for (const target of targets) {
							const to = byName.get(target.node);
							expect(to, `target ${target.node}`).toBeDefined();
							expect(target.type).toBe('main');
							expect(to!.position[0], `${source} → ${target.node} goes right`).toBeGreaterThan(from!.position[0]);
						}
					}
				}
			});

			it("sets only parameters our nodes declare, and every threshold explicitly", () => {
				for (const node of workflow.nodes.filter((candidate) => ours[candidate.type])) {
					const properties = ours[node.type].description.properties;
					const declared = declaredNames(properties);
					for (const name of Object.keys(node.parameters)) expect(declared.has(name), `${node.name}.${name}`).toBe(true);
					const operation = node.parameters.operation as string | undefined;
					const visible = properties.filter(
						(property) =>
							property.type !== 'notice' &&
							(property.displayOptions?.show?.operation === undefined || property.displayOptions.show.operation.includes(operation)),
					);
					if (node.type.endsWith('.signalIntake') || operation === 'decide') {
						for (const property of visible) expect(node.parameters, `${node.name} shows ${property.name}`).toHaveProperty(property.name);
					}
				}
			});
		});
	}

	it('wires the TradingView pipeline: approved → Decide → respond → card; rejected and errors answered', () => {
		const workflow = load('tradingview-signal.json');
		const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!;
		expect(webhook.parameters).toMatchObject({ httpMethod: 'POST', path: 'tradingview', responseMode: 'responseNode' });
		const next = (name: string, output = 0) => workflow.connections[name].main[output].map((target) => target.node);
		expect(next('TradingView Webhook')).toEqual(['Signal Intake']);
		expect(next('Signal Intake', 0)).toEqual(['Decide']);
		expect(next('Signal Intake', 1)).toEqual(['Respond: Rejected']);
		expect(next('Signal Intake', 2)).toEqual(['Respond: Error']);
		expect(next('Decide')).toEqual(['Respond: Decision']);
		expect(next('Respond: Decision')).toEqual(['Send Signal Card']);
		expect(workflow.nodes.find((node) => node.name === 'Signal Intake')!.onError).toBe('continueErrorOutput');
		expect(workflow.nodes.find((node) => node.name === 'Decide')!.parameters).toMatchObject({
			kellyFraction: 0.25,
			maxPositionRatio: 0.1,
			maxDailyDrawdownRatio: 0.05,
			maxHeatRatio: 0.3,
			minRewardRisk: 1.5,
			timeStopHours: 48,
			llmModel: 'glm-5:cloud',
		});
	});

	it('the TradingView pipeline writes n8n\'s database once per alert: no progress saved after each node, success data left to the instance', () => {
		const { settings } = load('tradingview-signal.json');
		// progress saving writes the whole execution after every node (five writes per alert instead of one);
		// whether successful executions are kept is the instance's EXECUTIONS_DATA_SAVE_ON_SUCCESS (none in production)
		expect(settings).toMatchObject({ executionOrder: 'v1', saveExecutionProgress: false });
		expect(settings).not.toHaveProperty('saveDataSuccessExecution');
	});

	/** The interval of each Schedule Trigger (a parameter), as n8n reads it: field + value. */
	const schedules = (workflow: Workflow) =>
		Object.fromEntries(
			workflow.nodes
				.filter((node) => node.type === 'n8n-nodes-base.scheduleTrigger')
				.map((node) => [node.name, (node.parameters.rule as { interval: Record<string, unknown>[] }).interval]),
		);
	const stickyText = (workflow: Workflow) =>
		workflow.nodes
			.filter((node) => node.type === 'n8n-nodes-base.stickyNote')
			.map((node) => String(node.parameters.content))
			.join('\n');

	it('heartbeat market data: every minute after the close, Sync Candles (1m + daily, every whitelisted symbol) → Alpha Score (recorded)', () => {
		const workflow = load('heartbeat-market-data.json');
		expect(schedules(workflow)).toEqual({ 'Every Minute (after close)': [{ field: 'cronExpression', expression: '5 * * * * *' }] });
		expect(workflow.connections['Every Minute (after close)'].main[0].map((t) => t.node)).toEqual(['Sync Candles']);
		expect(workflow.connections['Sync Candles'].main[0].map((t) => t.node)).toEqual(['Alpha Score']);
		const sync = workflow.nodes.find((node) => node.name === 'Sync Candles')!;
		expect(sync.parameters).toMatchObject({ operation: 'syncCandles', timeframe: '1m', includeDaily: true });
		for (const asset of ['BTC', 'ETH', 'SOL', 'AVAX', 'NEAR', 'BNB', 'ARB', 'OP', 'POL']) expect(String(sync.parameters.symbols)).toContain(`${asset}/USDT`);
		// a failed sync still lets the score refresh run on what is stored
		expect(sync.onError).toBe('continueRegularOutput');
		expect(workflow.nodes.find((node) => node.name === 'Alpha Score')!.parameters).toMatchObject({ operation: 'score', symbols: '', record: true, technicalWeight: 40, onchainWeight: 35, sentimentWeight: 15 });
		expect(stickyText(workflow)).toMatch(/every minute/i);
	});

	it('heartbeat on-chain and sentiment: Glassnode hourly (24h resolution) and CryptoPanic every 5 minutes, each on its own trigger, stored point in time', () => {
		const workflow = load('heartbeat-onchain-sentiment.json');
		expect(schedules(workflow)).toEqual({
			'Every Hour (Glassnode)': [{ field: 'cronExpression', expression: '0 10 * * * *' }],
			'Every 5 Minutes (CryptoPanic)': [{ field: 'cronExpression', expression: '30 */5 * * * *' }],
		});
		expect(workflow.connections['Every Hour (Glassnode)'].main[0].map((t) => t.node)).toEqual(['Glassnode']);
		expect(workflow.connections['Every 5 Minutes (CryptoPanic)'].main[0].map((t) => t.node)).toEqual(['CryptoPanic']);
		const glassnode = workflow.nodes.find((node) => node.name === 'Glassnode')!;
		expect(glassnode.parameters).toMatchObject({ interval: '24h', store: true, assets: ['BTC', 'ETH'], metrics: ['exchange_netflow', 'sopr', 'lth_sopr'] });
		expect(Object.values(glassnode.credentials ?? {})).toContainEqual({ id: null, name: 'Glassnode API' });
		const cryptoPanic = workflow.nodes.find((node) => node.name === 'CryptoPanic')!;
		expect(cryptoPanic.parameters).toMatchObject({ store: true });
		expect(Object.values(cryptoPanic.credentials ?? {})).toContainEqual({ id: null, name: 'CryptoPanic API' });
		expect(stickyText(workflow)).toMatch(/point in time/);
	});

	it('heartbeat risk monitor: every 10 seconds, Risk Monitor (seed thresholds) → one Telegram message per close or halt event', () => {
		const workflow = load('heartbeat-risk-monitor.json');
		expect(schedules(workflow)).toEqual({ 'Every 10 Seconds': [{ field: 'seconds', secondsInterval: 10 }] });
		expect(workflow.connections['Every 10 Seconds'].main[0].map((t) => t.node)).toEqual(['Risk Monitor']);
		expect(workflow.connections['Risk Monitor'].main[0].map((t) => t.node)).toEqual(['Send Event Message']);
		expect(workflow.nodes.find((node) => node.name === 'Risk Monitor')!.parameters).toMatchObject({
			operation: 'checkPositions',
			timeStopHours: 48,
			maxDailyDrawdownRatio: 0.05,
			haltHours: 24,
			timeframe: '1m',
			outputWhenQuiet: false,
		});
		expect(workflow.nodes.find((node) => node.name === 'Send Event Message')!.parameters).toMatchObject({ operation: 'sendMessage', text: '={{ $json.message }}', parseMode: 'none' });
		expect(stickyText(workflow)).toMatch(/one item per event/i);
	});

	it('heartbeat signal scan: every minute after the market-data sync, Signal Scan (both strategies) → New Signals → the same signal card as the TradingView workflow', () => {
		const workflow = load('heartbeat-signal-scan.json');
		expect(schedules(workflow)).toEqual({ 'Every Minute (after close)': [{ field: 'cronExpression', expression: '20 * * * * *' }] });
		expect(workflow.connections['Every Minute (after close)'].main[0].map((t) => t.node)).toEqual(['Signal Scan']);
		expect(workflow.connections['Signal Scan'].main[0].map((t) => t.node)).toEqual(['Send Signal Card']);
		expect(workflow.connections['Signal Scan'].main[1] ?? []).toEqual([]);
		expect(workflow.nodes.find((node) => node.name === 'Signal Scan')!.parameters).toMatchObject({
			operation: 'scan',
			symbols: '',
			timeframe: '1m',
			vwapMeanReversion: true,
			alphaThreshold: true,
			alphaThresholdScore: 70,
			timeStopHours: 48,
			maxPanicScore: 70,
		});
		const card = (file: string) => load(file).nodes.find((node) => node.parameters.operation === 'sendSignalCard')!.parameters;
		expect(card('heartbeat-signal-scan.json')).toEqual(card('tradingview-signal.json'));
		expect(stickyText(workflow)).toMatch(/one decision per bar/);
	});

	it('wires the button workflow: Telegram webhook → Answer Button Press → Answer Command → 200, both continuing on error', () => {
		const workflow = load('telegram-buttons.json');
		expect(workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!.parameters).toMatchObject({ path: 'telegram', responseMode: 'responseNode' });
		expect(workflow.connections['Telegram Webhook'].main[0][0].node).toBe('Answer Button Press');
		expect(workflow.connections['Answer Button Press'].main[0][0].node).toBe('Answer Command');
		expect(workflow.connections['Answer Command'].main[0][0].node).toBe('Respond 200');
		for (const name of ['Answer Button Press', 'Answer Command']) {
			expect(workflow.nodes.find((node) => node.name === name)).toMatchObject({ onError: 'continueRegularOutput' });
		}
		expect(workflow.nodes.find((node) => node.name === 'Answer Command')!.parameters).toEqual({ operation: 'answerCommand' });
	});

	it('wires the daily report: schedule (UTC hour) or manual → Desk Control Daily Report with the chart → Telegram photo + text', () => {
		const workflow = load('daily-report.json');
		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')!;
		expect((trigger.parameters.rule as { interval: unknown[] }).interval[0]).toMatchObject({ field: 'days', triggerAtHour: 21 });
		expect(workflow.connections[trigger.name].main[0][0].node).toBe('Daily Report');
		expect(workflow.nodes.find((node) => node.name === 'Daily Report')).toMatchObject({ type: `${PACKAGE}.deskControl`, parameters: { operation: 'dailyReport', attachChart: true } });
		expect(workflow.connections['Daily Report'].main[0][0].node).toBe('Send Daily Report');
		expect(workflow.nodes.find((node) => node.name === 'Send Daily Report')!.parameters).toMatchObject({ operation: 'sendMessage', text: '={{ $json.text }}', photoBinaryProperty: 'equity' });
	});
});
