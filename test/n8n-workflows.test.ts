// The shipped workflows in a real n8n, each tested release (scripts/n8n harness): imported with credentials
// referenced by name, published, and driven through their production webhook URLs against the
// real math service pipeline (in-process, in-memory SQLite) and the Telegram Bot API fake.
// A smoke of the wiring; the full alert matrix is the end-to-end suite's.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { callbackQueryUpdate, startFakeTelegram, type FakeTelegram } from './fakes/fakeTelegram';
import { startPipelineService, type RunningPipelineService } from './nodes/pipelineService';
import { credential, loadedNodeTypes, N8N_TEST_VERSIONS, PACKAGE_NAME, startN8n, type N8nInstance } from './support/n8nHarness';

const root = join(__dirname, '..');
const SECRET = 'tv-secret-n8n-workflows-0123';
const API_KEY = 'wf-key-0123456789';
const TOKEN = '7012345678:AAH-n8n-workflows';
const CHAT = 123456789;

describe.each(N8N_TEST_VERSIONS)('workflows/tradingview-signal.json and telegram-buttons.json in a real n8n %s', (version) => {
	let n8n: N8nInstance;
	let service: RunningPipelineService;
	let tg: FakeTelegram;
	const BUTTON_SECRET = 'n8n-workflows-button-secret_0123';

	beforeAll(async () => {
		service = await startPipelineService({ apiKey: API_KEY, webhookSecret: SECRET });
		tg = await startFakeTelegram({ tokens: [TOKEN] });
		n8n = await startN8n({
			version,
			workflows: [join(root, 'workflows/tradingview-signal.json'), join(root, 'workflows/telegram-buttons.json')],
			credentials: [
				credential('highFreqQuantApi', 'HighFreqQuant API', { baseUrl: service.baseUrl, apiKey: API_KEY }, 'hfqWfMathCred001'),
				credential('highFreqQuantTelegramApi', 'HighFreqQuant Telegram', { accessToken: TOKEN, chatId: String(CHAT), baseUrl: tg.url, webhookSecretToken: BUTTON_SECRET }, 'hfqWfTgCred00001'),
			],
		});
	});

	afterAll(async () => {
		await n8n?.stop();
		await tg?.close();
		await service?.close();
	});

	const post = async (path: string, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}) => {
		service.clock.nowMs = Date.now();
		const res = await fetch(n8n.webhookUrl(path), {
			method: 'POST',
			headers: { 'content-type': contentType, ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await res.text();
		return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, any>) : null };
	};
	/** Signal cards sent so far: text messages, or photos when the math service rendered a chart. */
	const cards = () => tg.calls.filter((call) => call.method === 'sendMessage' || call.method === 'sendPhoto');
	const waitForCards = async (count: number) => {
		for (let waited = 0; cards().length < count; waited += 50) {
			if (waited > 15_000) throw new Error(`expected ${count} signal cards, got ${cards().length}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return cards();
	};
	const cardText = (call: { fields: Record<string, unknown> }) => String(call.fields.text ?? call.fields.caption);
	const alert = (overrides: Record<string, unknown> = {}) => ({
		secret: SECRET,
		alert_id: `wf-${Math.random().toString(36).slice(2)}`,
		action: 'buy',
		ticker: 'BINANCE:ETHUSDT',
		interval: '60',
		time: Date.now() - 1_000,
		close: 3000,
		vwap: 3100,
		stop: 2900,
		target: 3200,
		...overrides,
	});

	it('loads the three nodes of the package', () => {
		const types = loadedNodeTypes(n8n);
		for (const name of ['signalIntake', 'riskSizer', 'highFreqQuantTelegram']) expect(types).toContain(`${PACKAGE_NAME}.${name}`);
	});

	it('answers a valid alert with the approved decision and sends the card with buttons', async () => {
		const sent = cards().length;
		const res = await post('tradingview', alert());
		expect(res.status, res.text).toBe(200);
		expect(res.json).toMatchObject({ status: 'approved', duplicate: false, mode: 'PAPER' });
		expect(res.json!.receipt.size.position_pct).toBeCloseTo(100 / 24, 6);
		const call = (await waitForCards(sent + 1))[sent];
		expect(cardText(call)).toContain('<b>BUY ETH/USDT</b> · Tier 1');
		// The math service renders the decision chart; the card is its caption (multipart upload).
		expect(call.method).toBe('sendPhoto');
		expect(call.photo?.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect(call.replyMarkup?.inline_keyboard?.[0]?.map((button) => button.callback_data)).toEqual([
			`hfq:executed:${res.json!.decision_id}`,
			`hfq:skipped:${res.json!.decision_id}`,
		]);
	});

	it('answers a repeat with the first decision (duplicate: true) and sends nothing more', async () => {
		const body = alert({ ticker: 'BTCUSDT', close: 84000, vwap: 86000, stop: 82000, target: 87000 });
		const before = cards().length;
		const first = await post('tradingview', body);
		await waitForCards(before + 1);
		const sent = cards().length;
		const afterId = n8n.lastExecutionId('hfqTradingView01');
		const again = await post('tradingview', JSON.stringify(body), 'text/plain');
		expect(again.status, again.text).toBe(200);
		expect(again.json).toMatchObject({ decision_id: first.json!.decision_id, duplicate: true, status: 'approved' });
		const finished = await n8n.waitForExecution({ workflowId: 'hfqTradingView01', afterId });
		expect(finished.status).toBe('success');
		expect(finished.lastNodeExecuted).toBe('Respond: Rejected');
		expect(cards()).toHaveLength(sent);
	});

	it('answers 401 to a wrong secret and 200 rejected to a non-whitelisted asset', async () => {
		const sent = cards().length;
		const unauthorized = await post('tradingview', alert({ secret: 'nope' }));
		expect(unauthorized).toMatchObject({ status: 401, json: { detail: 'Unauthorized alert: missing or wrong secret' } });
		// a body without the secret is refused before any validation detail is shown
		const garbage = await post('tradingview', 'hello from a stranger', 'text/plain');
		expect(garbage).toMatchObject({ status: 401, json: { detail: 'Unauthorized alert: missing or wrong secret' } });
		const doge = await post('tradingview', alert({ ticker: 'DOGEUSDT', close: 0.4, stop: 0.38, target: 0.44 }));
		expect(doge.status, doge.text).toBe(200);
		expect(doge.json).toMatchObject({ status: 'rejected', reason_code: 'not_whitelisted' });
		expect(cards()).toHaveLength(sent);
	});

	it('records an Executed press posted to the button workflow and answers it in Telegram', async () => {
		const before = cards().length;
		const decided = await post('tradingview', alert({ ticker: 'ARBUSDT', close: 0.8, vwap: 0.85, stop: 0.76, target: 0.88 }));
		const card = (await waitForCards(before + 1))[before];
		const update = callbackQueryUpdate({
			data: `hfq:executed:${decided.json!.decision_id}`,
			messageId: Number((card.response as { result: { message_id: number } }).result.message_id),
			chatId: CHAT,
			callbackQueryId: 'cbq-n8n-1',
		});
		const res = await post('telegram', update, 'application/json', { 'x-telegram-bot-api-secret-token': BUTTON_SECRET });
		expect(res.status, res.text).toBe(200);
		expect(res.json).toMatchObject({ ok: true, button: { action: 'executed', recorded: true } });
		expect(tg.callsTo('answerCallbackQuery').at(-1)!.fields).toMatchObject({ callback_query_id: 'cbq-n8n-1', text: 'Recorded: ✅ Executed' });
		expect(tg.callsTo('editMessageReplyMarkup')).toHaveLength(1);
	});
});
