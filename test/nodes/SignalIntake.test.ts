/**
 * Signal Intake in-process (n8n-core WorkflowExecute) against the real math service app with its
 * alert pipeline (in-memory SQLite, a webhook secret, a fixed clock). Inputs are shaped like the
 * Webhook node's items: `{headers, params, query, body}`, body parsed JSON or text/plain string.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { SignalIntake } from '../../nodes/SignalIntake/SignalIntake.node';
import { runNode, type NodeRunResult } from '../support/nodeHarness';
import { startPipelineService, type RunningPipelineService } from './pipelineService';

const SECRET = 'tv-secret-0123456789';
const API_KEY = 'intake-key-0123456789';
const NOW = Date.UTC(2026, 10, 21, 14, 0, 0);
let service: RunningPipelineService;

beforeAll(async () => {
	service = await startPipelineService({ apiKey: API_KEY, webhookSecret: SECRET, nowMs: NOW });
});
afterAll(async () => {
	await service?.close();
});

const credentials = () => [{ type: new HighFreqQuantApi(), data: { baseUrl: service.baseUrl, apiKey: API_KEY } }];

let nextId = 1;
function alert(overrides: IDataObject = {}): IDataObject {
	return {
		secret: SECRET,
		alert_id: `BINANCE:BTCUSDT-60-${NOW}-long-${nextId++}`,
		action: 'buy',
		ticker: 'BINANCE:BTCUSDT',
		exchange: 'BINANCE',
		interval: '60',
		time: NOW - 5_000,
		close: 84000,
		vwap: 86000,
		stop: 82000,
		target: 87000,
		...overrides,
	};
}

function webhookItem(body: unknown, headers: Record<string, string> = {}): IDataObject {
	const contentType = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
	return { headers: { 'content-type': contentType, 'user-agent': 'Go-http-client/1.1', ...headers }, params: {}, query: {}, body: body as IDataObject };
}

function outputs(result: NodeRunResult): { approved: INodeExecutionData[]; rejected: INodeExecutionData[] } {
	const main = result.run.data.resultData.runData['Signal Intake']?.[0]?.data?.main ?? [];
	return { approved: main[0] ?? [], rejected: main[1] ?? [] };
}

async function intake(input: IDataObject[], parameters: INodeParameters = {}, continueOnFail = false) {
	const result = await runNode({ node: new SignalIntake(), parameters, input, credentials: credentials(), continueOnFail });
	return { ...result, ...outputs(result) };
}

describe('Signal Intake (real math service)', () => {
	it('sends a whitelisted, fresh JSON alert to Approved with the normalised signal and the gates', async () => {
		const body = alert();
		const { approved, rejected, error } = await intake([webhookItem(body)]);
		expect(error).toBeUndefined();
		expect(rejected).toHaveLength(0);
		expect(approved).toHaveLength(1);
		const json = approved[0].json as Record<string, any>;
		expect(json).toMatchObject({ status: 'accepted', alert_id: body.alert_id, duplicate: false });
		expect(json.signal).toMatchObject({ symbol: 'BTC/USDT', asset: 'BTC', tier: 1, close: 84000, stop: 82000, target: 87000 });
		expect(json.gates.map((g: { name: string; passed: boolean }) => [g.name, g.passed])).toEqual([
			['symbol', true],
			['whitelist', true],
			['staleness', true],
		]);
		expect(json.thresholds).toMatchObject({ max_lag_seconds: 60 });
		expect(JSON.stringify(json)).not.toContain(SECRET);
	});

	it('accepts the same alert as text/plain (TradingView sends text when the message is not JSON-typed)', async () => {
		const { approved, error } = await intake([webhookItem(JSON.stringify(alert({ ticker: 'ETHUSDT.P' })))]);
		expect(error).toBeUndefined();
		expect((approved[0].json as Record<string, any>).signal).toMatchObject({ symbol: 'ETH/USDT', tier: 1, contract: 'perpetual' });
	});

	it('rejects an asset outside the tiers, and approves it once a tier parameter lists it', async () => {
		const doge = await intake([webhookItem(alert({ ticker: 'BINANCE:DOGEUSDT', close: 0.4, stop: 0.38, target: 0.43 }))]);
		expect(doge.approved).toHaveLength(0);
		expect(doge.rejected[0].json).toMatchObject({ status: 'rejected', reason_code: 'not_whitelisted', duplicate: false });
		expect(doge.rejected[0].json.decision_id).toEqual(expect.any(Number));

		const listed = await intake([webhookItem(alert({ ticker: 'BINANCE:DOGEUSDT', close: 0.4, stop: 0.38, target: 0.43 }))], {
			tier3: 'ARB, OP, BASE, POL, MATIC, DOGE',
		});
		expect((listed.approved[0].json as Record<string, any>).signal).toMatchObject({ asset: 'DOGE', tier: 3 });
	});

	it('rejects MATIC as POL and BASE as a network without a token, as the tier 3 parameter says', async () => {
		const matic = await intake([webhookItem(alert({ ticker: 'BINANCE:MATICUSDT', close: 0.5, stop: 0.48, target: 0.54 }))]);
		expect((matic.approved[0].json as Record<string, any>).signal).toMatchObject({ asset: 'POL', symbol: 'POL/USDT' });
		const base = await intake([webhookItem(alert({ ticker: 'BASEUSDT', close: 1, stop: 0.9, target: 1.2 }))]);
		expect(base.rejected[0].json).toMatchObject({ reason_code: 'no_tradable_token' });
	});

	it('rejects an alert older than Max Alert Lag and accepts it with a longer lag', async () => {
		const old = NOW - 120_000;
		const stale = await intake([webhookItem(alert({ time: old }))]);
		expect(stale.rejected[0].json).toMatchObject({ status: 'rejected', reason_code: 'stale' });
		const patient = await intake([webhookItem(alert({ time: old }))], { maxLagSeconds: 300 });
		expect(patient.approved).toHaveLength(1);
	});

	it('sends a repeat of a decided alert to Rejected with duplicate: true and the first decision', async () => {
		const body = alert({ ticker: 'BINANCE:DOGEUSDT', close: 0.4, stop: 0.38, target: 0.43 });
		const first = await intake([webhookItem(body)]);
		const again = await intake([webhookItem(body)]);
		expect(again.approved).toHaveLength(0);
		const json = again.rejected[0].json as Record<string, any>;
		expect(json.duplicate).toBe(true);
		expect(json.decision_id).toBe(first.rejected[0].json.decision_id);
		expect(json.decision).toMatchObject({ decision_id: first.rejected[0].json.decision_id, status: 'rejected' });
	});

	it('throws on a wrong secret (401): no output, nothing approved', async () => {
		const { approved, rejected, error } = await intake([webhookItem(alert({ secret: 'guess' }))]);
		expect(approved).toHaveLength(0);
		expect(rejected).toHaveLength(0);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Unauthorized alert: missing or wrong secret');
	});

	it('with Continue On Fail, puts the 401 on Rejected as unauthorized with http_status 401', async () => {
		const { approved, rejected, error } = await intake([webhookItem(alert({ secret: 'guess' }))], {}, true);
		expect(error).toBeUndefined();
		expect(approved).toHaveLength(0);
		expect(rejected[0].json).toMatchObject({ status: 'unauthorized', http_status: 401, error: 'Unauthorized alert: missing or wrong secret' });
	});

	it('refuses alerts without a TradingView source address when restricted, and accepts TradingView’s', async () => {
		const restricted = { restrictToTradingViewIps: true };
		const none = await intake([webhookItem(alert())], restricted);
		expect(none.error?.message).toMatch(/^Unauthorized alert: the source address/);
		const other = await intake([webhookItem(alert(), { 'x-forwarded-for': '203.0.113.7' })], restricted);
		expect(other.error?.description).toContain('203.0.113.7');
		const tv = await intake([webhookItem(alert(), { 'x-forwarded-for': '52.89.214.238' })], restricted);
		expect(tv.error).toBeUndefined();
		expect(tv.approved).toHaveLength(1);
	});

	it('reads the address Trusted Proxies from the right of X-Forwarded-For: a spoofed first entry is refused, a real proxy chain accepted', async () => {
		// One proxy (default): the attacker wrote 52.89.214.238, the proxy appended what it saw.
		const spoofed = await intake([webhookItem(alert(), { 'x-forwarded-for': '52.89.214.238, 203.0.113.7' })], { restrictToTradingViewIps: true });
		expect(spoofed.error?.message).toMatch(/^Unauthorized alert: the source address/);
		expect(spoofed.error?.description).toContain('203.0.113.7');
		// CDN → reverse proxy → n8n: two proxies appended; TradingView is second from the right.
		const twoHops = { restrictToTradingViewIps: true, trustedProxies: 2 };
		const chain = await intake([webhookItem(alert(), { 'x-forwarded-for': '52.89.214.238, 172.16.0.5' })], twoHops);
		expect(chain.error).toBeUndefined();
		expect(chain.approved).toHaveLength(1);
		const spoofedChain = await intake([webhookItem(alert(), { 'x-forwarded-for': '52.89.214.238, 203.0.113.7, 172.16.0.5' })], twoHops);
		expect(spoofedChain.error?.message).toMatch(/^Unauthorized alert: the source address/);
	});

	it('names a parameter the service refuses (invalid thresholds) instead of blaming the alert', async () => {
		const { error } = await intake([webhookItem(alert())], { tier1: 'BTC, ET$H' });
		expect(error?.message).toMatch(/^A Signal Intake parameter was refused by the math service: /);
		expect(error?.message).toContain('whitelist');
	});

	it('throws with the service reason on an authenticated body that is not an alert, and as unauthorized on a stranger’s', async () => {
		const { error } = await intake([webhookItem(`{"secret":"${SECRET}","action":"buy","close":{{close}}}`)]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^The alert is not valid \(HTTP 4\d\d\): /);
		const stranger = await intake([webhookItem('hello from a stranger')]);
		expect(stranger.error?.message).toBe('Unauthorized alert: missing or wrong secret');
	});
});
