/**
 * Risk Sizer › Decide, then HighFreqQuant Telegram (signal card, button press), in-process against
 * the real math service pipeline (in-memory SQLite, paper account of 10,000 USDT, no Ollama) and
 * the Telegram Bot API fake: the chain of the tradingview-signal and telegram-buttons workflows,
 * one node at a time.
 *
 * Kelly reference, by hand from the default prior (p 0.5, avg win 3 %, avg loss 2 %): b = 1.5,
 * f* = 0.5 − 0.5/1.5 = 1/6; quarter Kelly = 1/24 = 4.1667 % of equity; half Kelly 8.3333 %.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { HighFreqQuantApi } from '../../credentials/HighFreqQuantApi.credentials';
import { HighFreqQuantTelegramApi } from '../../credentials/HighFreqQuantTelegramApi.credentials';
import { HighFreqQuantTelegram } from '../../nodes/HighFreqQuantTelegram/HighFreqQuantTelegram.node';
import { RiskSizer } from '../../nodes/RiskSizer/RiskSizer.node';
import { SignalIntake } from '../../nodes/SignalIntake/SignalIntake.node';
import { callbackQueryUpdate, startFakeTelegram, type FakeTelegram } from '../fakes/fakeTelegram';
import { runNode } from '../support/nodeHarness';
import { startPipelineService, type RunningPipelineService } from './pipelineService';

const SECRET = 'tv-secret-decide-0123456789';
const API_KEY = 'decide-key-0123456789';
const TOKEN = '7012345678:AAH-decide-test';
const CHAT = 123456789;
const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
let service: RunningPipelineService;
let tg: FakeTelegram;

beforeAll(async () => {
	service = await startPipelineService({ apiKey: API_KEY, webhookSecret: SECRET, nowMs: NOW });
	tg = await startFakeTelegram({ tokens: [TOKEN] });
});
afterAll(async () => {
	await service?.close();
	await tg?.close();
});
beforeEach(() => tg.reset());

const math = () => ({ type: new HighFreqQuantApi(), data: { baseUrl: service.baseUrl, apiKey: API_KEY } });
const BUTTON_SECRET = 'buttons-secret_0123456789abcdef';
const telegram = () => ({ type: new HighFreqQuantTelegramApi(), data: { accessToken: TOKEN, chatId: String(CHAT), baseUrl: tg.url, webhookSecretToken: BUTTON_SECRET } });
/** Telegram's own delivery of an update: the secret token set with Set Webhook in its header. */
const fromTelegram = (body: unknown): IDataObject => ({ headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BUTTON_SECRET }, body: body as IDataObject });

let nextId = 1;
/** Runs the alert through Signal Intake and returns its Approved item. */
async function approvedSignal(overrides: IDataObject = {}): Promise<IDataObject> {
	const body = {
		secret: SECRET,
		alert_id: `decide-${nextId++}`,
		action: 'buy',
		ticker: 'BINANCE:BTCUSDT',
		interval: '60',
		time: NOW - 2_000,
		close: 84000,
		vwap: 86000,
		stop: 82000,
		target: 87000,
		...overrides,
	};
	const result = await runNode({
		node: new SignalIntake(),
		parameters: {},
		input: [{ headers: { 'content-type': 'application/json' }, body }],
		credentials: [math()],
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(1);
	return result.items[0].json;
}

async function decide(input: IDataObject, parameters: INodeParameters = {}) {
	return await runNode({ node: new RiskSizer(), parameters: { operation: 'decide', ...parameters }, input: [input], credentials: [math()] });
}

describe('Risk Sizer › Decide (real math service pipeline)', () => {
	it('approves with quarter Kelly from the prior and returns the receipt with every gate and the thresholds used', async () => {
		const signal = await approvedSignal();
		const { items, error } = await decide(signal);
		expect(error).toBeUndefined();
		const json = items[0].json as Record<string, any>;
		expect(json).toMatchObject({ status: 'approved', reason_code: 'approved', duplicate: false, alert_id: signal.alert_id, mode: 'PAPER' });
		expect(json.decision_id).toEqual(expect.any(Number));
		expect(json.receipt.size.position_pct).toBeCloseTo(100 / 24, 6);
		expect(json.receipt.size.quantity).toBeCloseTo((10_000 / 24) / 84000, 9);
		expect(json.receipt.reward_risk).toBeCloseTo(1.5, 12);
		expect(json.gates.map((g: { name: string }) => g.name)).toEqual(
			expect.arrayContaining(['sizing', 'dailyDrawdownHalt', 'panicSwitch', 'minRewardRisk', 'maxPositionPerAsset', 'portfolioHeat', 'varBudget']),
		);
		expect(json.intake_gates.map((g: { name: string }) => g.name)).toEqual(['symbol', 'whitelist', 'staleness']);
		expect(json.receipt.thresholds).toMatchObject({
			kelly_fraction: 0.25,
			max_position_ratio: 0.1,
			max_daily_drawdown_ratio: 0.05,
			max_heat_ratio: 0.3,
			min_reward_risk: 1.5,
			time_stop_hours: 48,
			max_var_ratio: 0.01,
			max_panic_score: 70,
			on_missing_panic: 'pass',
			kelly_min_sample: 30,
			kelly_prior: { win_rate: 0.5, avg_win: 0.03, avg_loss: 0.02 },
		});
		expect(json.receipt.llm).toMatchObject({ status: 'unavailable' });
	});

	it('sends the canvas values: half Kelly doubles the size', async () => {
		const { items } = await decide(await approvedSignal({ ticker: 'ETHUSDT', close: 3000, stop: 2900, target: 3200 }), { kellyFraction: 0.5 });
		const json = items[0].json as Record<string, any>;
		expect(json.receipt.thresholds.kelly_fraction).toBe(0.5);
		expect(json.receipt.size.position_pct).toBeCloseTo(100 / 12, 6);
	});

	it('rejects a reward/risk below Min Reward/Risk, and approves the same levels with a lower minimum', async () => {
		const low = await decide(await approvedSignal({ ticker: 'SOLUSDT', close: 100, stop: 95, target: 105 }));
		expect(low.items[0].json).toMatchObject({ status: 'rejected', reason_code: 'reward_risk_below_min' });
		const lenient = await decide(await approvedSignal({ ticker: 'SOLUSDT', close: 100, stop: 95, target: 105 }), { minRewardRisk: 0.9 });
		expect(lenient.items[0].json).toMatchObject({ status: 'approved' });
	});

	it('returns the first decision with duplicate: true when the same alert is decided again', async () => {
		const signal = await approvedSignal({ ticker: 'AVAXUSDT', close: 30, stop: 29, target: 32 });
		const first = await decide(signal);
		const again = await decide(signal);
		expect(again.items[0].json).toMatchObject({ duplicate: true, decision_id: first.items[0].json.decision_id });
	});

	it('fails the item with the service reason for an alert that never went through Signal Intake', async () => {
		const { error } = await decide({ alert_id: 'never-seen' });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^The math service rejected the input: signal "never-seen" not found/);
	});
});

describe('Decide → Telegram card → button press (real pipeline + Telegram fake)', () => {
	it('sends the card of a real receipt and records the Executed press against its decision', async () => {
		const decided = (await decide(await approvedSignal({ ticker: 'BINANCE:ARBUSDT', close: 0.8, stop: 0.76, target: 0.88 }))).items[0].json;
		const card = await runNode({ node: new HighFreqQuantTelegram(), parameters: { operation: 'sendSignalCard' }, input: [decided], credentials: [telegram()] });
		expect(card.error).toBeUndefined();
		const [sent] = tg.callsTo('sendMessage');
		const text = String(sent.fields.text);
		expect(text).toContain('<b>BUY ARB/USDT</b> · Tier 3 · <b>📝 PAPER</b>');
		expect(text).toContain('R/R <b>2</b>');
		expect(text).toContain('✅ symbol  ✅ whitelist  ✅ fresh  ✅ size  ✅ drawdown  ✅ operator halt  ✅ panic  ✅ R/R  ✅ position cap  ✅ heat');
		expect(text).toContain('✅ R/R');
		expect(text).toContain('src=42161:USDT&amp;dst=42161:ARB');
		expect(text).toContain(`Decision <code>${decided.decision_id}</code>`);
		const executed = sent.replyMarkup!.inline_keyboard![0][0].callback_data!;
		expect(executed).toBe(`hfq:executed:${decided.decision_id}`);

		const messageId = Number((card.items[0].json.telegram as { message_id: number }).message_id);
		const update = callbackQueryUpdate({ data: executed, messageId, chatId: CHAT, callbackQueryId: 'cbq-1' });
		const webhookItem = fromTelegram(update);
		const press = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'answerButtonPress' },
			input: [webhookItem],
			credentials: [telegram(), math()],
		});
		expect(press.error).toBeUndefined();
		expect(press.items[0].json.button).toMatchObject({ decision_id: String(decided.decision_id), action: 'executed', recorded: true, markup_edited: true });
		expect((press.items[0].json.button as { service: Record<string, unknown> }).service).toMatchObject({
			decision_id: decided.decision_id,
			action: 'executed',
			callback_query_id: 'cbq-1',
			duplicate: false,
		});
		expect(tg.callsTo('answerCallbackQuery')[0].fields).toMatchObject({ callback_query_id: 'cbq-1', text: 'Recorded: ✅ Executed' });
		const [edit] = tg.callsTo('editMessageReplyMarkup');
		expect(edit.fields).toMatchObject({ chat_id: CHAT, message_id: messageId });
		expect(edit.replyMarkup).toEqual({
			inline_keyboard: [[{ text: '✅ Executed · @ada_trader', callback_data: `hfq:done:${decided.decision_id}` }]],
		});

		// Telegram redelivers the same update: recorded once (duplicate), answered again.
		const redelivered = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'answerButtonPress' },
			input: [webhookItem],
			credentials: [telegram(), math()],
		});
		expect((redelivered.items[0].json.button as { service: { duplicate: boolean; event_id: number } }).service).toMatchObject({
			duplicate: true,
			event_id: (press.items[0].json.button as { service: { event_id: number } }).service.event_id,
		});
	});

	it("uploads the math service's own decision chart (PNG) with the card as caption", async () => {
		const decided = (await decide(await approvedSignal({ ticker: 'BINANCE:OPUSDT', close: 2, stop: 1.9, target: 2.2 }))).items[0].json;
		const { items, error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'sendSignalCard' },
			input: [decided],
			credentials: [telegram(), math()],
		});
		expect(error).toBeUndefined();
		expect(tg.callsTo('sendMessage')).toHaveLength(0);
		const [photo] = tg.callsTo('sendPhoto');
		expect(photo.contentType).toMatch(/^multipart\/form-data/);
		expect(photo.photo?.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
		expect(photo.photo?.filename).toBe(`decision-${decided.decision_id}.png`);
		expect(String(photo.fields.caption)).toContain('<b>BUY OP/USDT</b>');
		expect(photo.replyMarkup?.inline_keyboard?.[0]?.[1]?.callback_data).toBe(`hfq:skipped:${decided.decision_id}`);
		expect(items[0].json.telegram).toMatchObject({ method: 'sendPhoto', chart: 'math_service' });
	});

	it('closes the paper position on a sell alert and sends an exit card with the swap back to USDT', async () => {
		await decide(await approvedSignal({ ticker: 'BNBUSDT', close: 600, stop: 580, target: 640 }));
		const exit = (await decide(await approvedSignal({ ticker: 'BNBUSDT', action: 'sell', close: 620, stop: undefined, target: undefined }))).items[0].json;
		expect(exit).toMatchObject({ status: 'approved', reason_code: 'exit' });
		await runNode({ node: new HighFreqQuantTelegram(), parameters: { operation: 'sendSignalCard' }, input: [exit], credentials: [telegram()] });
		const text = String(tg.callsTo('sendMessage')[0].fields.text);
		expect(text).toContain('🔻 <b>SELL BNB/USDT</b> · Tier 2');
		expect(text).toContain('Exit   <code>620</code>');
		expect(text).toContain('src=56:BNB&amp;dst=56:USDT');
	});

	it('answers a press on an unknown decision with the reason and records nothing', async () => {
		const update = callbackQueryUpdate({ data: 'hfq:skipped:999999', messageId: 7, chatId: CHAT, callbackQueryId: 'cbq-404' });
		const { items, error } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'answerButtonPress' },
			input: [fromTelegram(update)],
			credentials: [telegram(), math()],
		});
		expect(error).toBeUndefined();
		expect(items[0].json.button).toMatchObject({ recorded: false, reason: 'decision 999999 not found' });
		expect(tg.callsTo('answerCallbackQuery')[0].fields.text).toBe('Not recorded: decision 999999 not found');
		expect(tg.callsTo('editMessageReplyMarkup')).toHaveLength(0);
	});

	it('passes non-button updates through and answers foreign buttons', async () => {
		const chatMessage = { update_id: 1, message: { message_id: 1, chat: { id: CHAT }, text: '/status' } };
		const foreign = callbackQueryUpdate({ data: 'ack:sig_1', messageId: 8, chatId: CHAT, callbackQueryId: 'cbq-x' });
		const { items } = await runNode({
			node: new HighFreqQuantTelegram(),
			parameters: { operation: 'answerButtonPress' },
			input: [fromTelegram(chatMessage), fromTelegram(foreign)],
			credentials: [telegram(), math()],
		});
		expect(items.map((item) => (item.json.button as { ignored: string }).ignored)).toEqual(['not a callback_query update', 'not an hfq button']);
		expect(tg.callsTo('answerCallbackQuery')).toHaveLength(1);

	});

	it('a press without the webhook secret token changes nothing: not recorded, not answered, buttons kept', async () => {
		const decided = (await decide(await approvedSignal({ ticker: 'BINANCE:AVAXUSDT', close: 20, stop: 19, target: 22 }))).items[0].json;
		const update = callbackQueryUpdate({ data: `hfq:executed:${decided.decision_id}`, messageId: 9, chatId: CHAT, callbackQueryId: 'cbq-forged' });
		const forged = [
			{ body: update, headers: {} },
			{ body: update, headers: { 'x-telegram-bot-api-secret-token': 'wrong' } },
			{ body: update, headers: { 'x-telegram-bot-api-secret-token': `${BUTTON_SECRET}x` } },
		];
		for (const item of forged) {
			const { error } = await runNode({ node: new HighFreqQuantTelegram(), parameters: { operation: 'answerButtonPress' }, input: [item], credentials: [telegram(), math()] });
			expect(error?.message).toBe('The update does not carry the webhook secret token');
		}
		// A node parameter overrides the credential's token.
		const overridden = await runNode({ node: new HighFreqQuantTelegram(), parameters: { operation: 'answerButtonPress', secretToken: 'own-token' }, input: [fromTelegram(update)], credentials: [telegram(), math()] });
		expect(overridden.error?.message).toBe('The update does not carry the webhook secret token');
		// No token configured anywhere: refused, never "anyone may press".
		const open = { type: new HighFreqQuantTelegramApi(), data: { accessToken: TOKEN, chatId: String(CHAT), baseUrl: tg.url } };
		const unconfigured = await runNode({ node: new HighFreqQuantTelegram(), parameters: { operation: 'answerButtonPress' }, input: [{ body: update, headers: {} }], credentials: [open, math()] });
		expect(unconfigured.error?.message).toBe('No webhook secret token is configured: button presses are refused');

		expect(tg.calls).toEqual([]);
		// Telegram's own delivery is then the first one recorded (duplicate: false): the forged ones left no trace.
		const real = await runNode({ node: new HighFreqQuantTelegram(), parameters: { operation: 'answerButtonPress' }, input: [fromTelegram(update)], credentials: [telegram(), math()] });
		expect(real.error).toBeUndefined();
		expect((real.items[0].json.button as { service: Record<string, unknown> }).service).toMatchObject({ action: 'executed', duplicate: false });
	});
});
