// The TradingView → n8n → math service → Telegram pipeline end to end, all real processes: the
// built package installed into a real n8n (each tested release in turn: 2.8.4, then the current
// 2.41.1) with workflows/tradingview-signal.json and workflows/telegram-buttons.json imported and
// published, the math service (compiled main.js) on a
// throw-away MariaDB database, loopback fakes of the Telegram Bot API and Ollama. TradingView-shaped
// alerts go to the PRODUCTION webhook URL; each case checks the HTTP answer, what reached the
// Telegram fake and what the database holds. The cases share one n8n start and run in order: the
// account state builds up (positions from approved alerts, then 30 % heat, then a −5 % day), set up
// through the service's own API (POST /v1/signals/tradingview, POST /v1/positions/check).
// Alerts are synthetic (the real 1h strategy rarely fires with the seed's parameters) but shaped
// and priced like the Pine strategy's: stop 3 % below the close, target = VWAP 5 % above.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callbackQueryUpdate, waitFor, type TelegramCall } from '../fakes';
import { N8N_TEST_VERSIONS } from '../support/n8nHarness';
import { postAlert, tvAlert } from './support/alerts';
import { CHAT_ID, serviceApi, startPipelineStack, tableCounts, type PipelineStack } from './support/pipelineStack';

let stack: PipelineStack;

const signalWorkflowId = () => stack.prepared.workflows[0].workflow.id;
/** The Send Signal Card node of the shipped workflow: with no chart binary/URL it may fetch the chart from the service. */
const cardNodeParameters = () =>
	(stack.prepared.workflows[0].workflow.nodes.find((n) => n.parameters?.operation === 'sendSignalCard')?.parameters ?? {}) as Record<string, unknown>;
const buttonsWorkflowId = () => stack.prepared.workflows[1].workflow.id;

/** Telegram calls that carry a signal card (message or photo with a caption). */
const cards = () => stack.telegram.calls.filter((c) => c.method === 'sendPhoto' || c.method === 'sendMessage');
const cardText = (call: TelegramCall) => String(call.fields.caption ?? call.fields.text ?? '');
const gate = (body: any, name: string) => (body.gates as any[]).find((g) => g.name === name);

/** Posts an alert to the production webhook and waits until n8n finished (and saved) that execution. */
async function send(alert: Record<string, unknown>, contentType: 'application/json' | 'text/plain' = 'application/json') {
	const afterId = stack.n8n.lastExecutionId(signalWorkflowId());
	const res = await postAlert(stack.signalWebhookUrl, alert, contentType);
	const execution = await stack.n8n.waitForExecution({ workflowId: signalWorkflowId(), afterId, timeoutMs: 20_000 });
	return { ...res, execution };
}

/** Posts an update to the buttons webhook as Telegram does: with the secret token unless `token` says otherwise. */
async function pressButton(update: Record<string, unknown>, token: string | null = stack.buttonsSecretToken) {
	const afterId = stack.n8n.lastExecutionId(buttonsWorkflowId());
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (token !== null) headers['x-telegram-bot-api-secret-token'] = token;
	const res = await fetch(stack.buttonsWebhookUrl, { method: 'POST', headers, body: JSON.stringify(update) });
	const text = await res.text();
	const execution = await stack.n8n.waitForExecution({ workflowId: buttonsWorkflowId(), afterId, timeoutMs: 20_000 });
	return { status: res.status, text, execution };
}

describe.each(N8N_TEST_VERSIONS)('TradingView alert → real n8n %s → math service (MariaDB) → Telegram fake', (version) => {
	beforeAll(async () => {
		stack = await startPipelineStack({ n8nVersion: version, log: process.env.HFQ_E2E_VERBOSE ? (line) => console.log(line) : undefined });
		console.log(`[e2e] pipeline up on n8n ${version}; timings ms ${JSON.stringify(stack.timings)}`);
	});

	afterAll(async () => {
		await stack?.stop();
	});

	afterEach((ctx) => {
		if (ctx.task.result?.state === 'fail' && stack) console.error(stack.diagnostics());
	});

	let valid: { alert: Record<string, unknown>; decisionId: number; card: TelegramCall };

	it('valid (application/json): 200 approved; signal card with levels, size, R/R, gates, swap link and buttons; signal, decision and paper position stored', async () => {
		const alert = tvAlert(stack.secret, { asset: 'BTC' });
		const res = await send(alert);
		expect(res.status, res.text).toBe(200);
		expect(res.body).toMatchObject({ status: 'approved', reason_code: 'approved', duplicate: false, alert_id: alert.alert_id });
		const decisionId = res.body.decision_id as number;

		const card = await waitFor(() => cards()[0], { what: 'the signal card on the Telegram fake' });
		expect(card.status).toBe(200);
		expect(String(card.fields.chat_id)).toBe(CHAT_ID);
		const text = cardText(card);
		expect(card.fields.parse_mode).toBe('HTML');
		expect(text).toContain('BUY BTC/USDT');
		expect(text).toMatch(/PAPER/);
		expect(text).toContain('Entry  <code>90,000</code>');
		expect(text).toContain('Stop   <code>87,300</code> (−3.00%)');
		expect(text).toContain('Target <code>94,500</code> (+5.00%)');
		expect(text).toMatch(/Size <b>4\.17%<\/b> of equity/);
		expect(text).toContain('R/R <b>1.67</b>');
		expect(text).toMatch(/✅ whitelist.*✅ R\/R.*✅ heat/);
		expect(text).toMatch(/1inch/);
		expect(text).toContain(`Decision <code>${decisionId}</code>`);
		// inline buttons carry the decision id
		const buttons = card.replyMarkup?.inline_keyboard?.flat() ?? [];
		expect(buttons.map((b) => [b.text.replace(/^\W+\s*/u, ''), b.callback_data])).toEqual(
			expect.arrayContaining([
				['Executed', `hfq:executed:${decisionId}`],
				['Skipped', `hfq:skipped:${decisionId}`],
			]),
		);
		const chartSource = Boolean(cardNodeParameters().chartUrl) || cardNodeParameters().chartFromMathService === true;
		expect(card.method).toBe(chartSource ? 'sendPhoto' : 'sendMessage');
		if (chartSource) {
			// the chart (GET /v1/decisions/:id/chart.png from the service) is a real PNG upload, the card its caption
			expect(card.photo?.contentType).toBe('image/png');
			expect(card.photo!.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
			expect(card.photo!.size).toBeGreaterThan(1000);
			expect(card.fields.text).toBeUndefined();
		}

		const decision = await stack.storage.decisions.getById(decisionId);
		expect(decision).toMatchObject({ alertId: alert.alert_id, status: 'approved', reasonCode: 'approved', symbol: 'BTC/USDT' });
		const receipt = JSON.parse(decision!.receiptJson);
		expect(receipt.kelly).toMatchObject({ source: 'prior', win_rate: 0.5 });
		expect(receipt.size.position_pct).toBeCloseTo(100 / 24, 9);
		expect(receipt.reward_risk).toBeCloseTo(4500 / 2700, 9);
		expect(receipt.llm).toMatchObject({ status: 'agrees', model: 'glm-5:cloud' });
		const signal = await stack.storage.signals.getById(decision!.signalId!);
		expect(signal).toMatchObject({ alertId: alert.alert_id, source: 'tradingview', symbol: 'BTC/USDT' });
		expect(signal!.payloadJson).not.toContain(stack.secret);
		const positions = await stack.storage.paperLedger.openPositions();
		expect(positions).toHaveLength(1);
		expect(positions[0]).toMatchObject({ decisionId, symbol: 'BTC/USDT', entryPrice: 90_000, stopPrice: 87_300, targetPrice: 94_500, status: 'open' });
		expect(positions[0].quantity).toBeCloseTo(10_000 / 24 / 90_000, 9);
		expect(stack.ollama.calls.some((c) => c.model === 'glm-5:cloud')).toBe(true);
		valid = { alert, decisionId, card };
	});

	it('valid (text/plain, as TradingView sends a message that is not pure JSON by header): approved, one more card and position', async () => {
		const before = cards().length;
		const alert = tvAlert(stack.secret, { asset: 'ETH', ticker: 'BINANCE:ETHUSDT.P' });
		const res = await send(alert, 'text/plain');
		expect(res.status, res.text).toBe(200);
		expect(res.body).toMatchObject({ status: 'approved', alert_id: alert.alert_id });
		await waitFor(() => cards().length > before || undefined, { what: 'the ETH card' });
		expect(cardText(cards().at(-1)!)).toContain('BUY ETH/USDT');
		expect((await stack.storage.paperLedger.openPositions()).map((p) => p.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
	});

	it('duplicate: the same alert again answers the first decision with duplicate: true; no second card, decision or position', async () => {
		const before = { counts: await tableCounts(stack.storage), cards: cards().length };
		const res = await send(valid.alert);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ decision_id: valid.decisionId, duplicate: true, status: 'approved' });
		expect(cards()).toHaveLength(before.cards);
		const after = await tableCounts(stack.storage);
		expect(after).toEqual(before.counts);
	});

	it('wrong secret: 401, nothing stored, nothing sent', async () => {
		const before = { counts: await tableCounts(stack.storage), calls: stack.telegram.calls.length };
		const res = await send(tvAlert('not-the-secret', { asset: 'SOL' }), 'text/plain');
		expect(res.status).toBe(401);
		expect(res.text).not.toContain(stack.secret);
		expect(await tableCounts(stack.storage)).toEqual(before.counts);
		expect(stack.telegram.calls).toHaveLength(before.calls);
	});

	it('not whitelisted (DOGE): 200 rejected not_whitelisted, stored as a rejected decision, no position, no trade card', async () => {
		const before = { counts: await tableCounts(stack.storage), calls: stack.telegram.calls.length };
		const alert = tvAlert(stack.secret, { asset: 'DOGE' });
		const res = await send(alert);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 'rejected', reason_code: 'not_whitelisted', alert_id: alert.alert_id });
		expect(gate(res.body, 'whitelist')).toMatchObject({ passed: false });
		const decision = await stack.storage.decisions.getByAlertId(String(alert.alert_id));
		expect(decision).toMatchObject({ id: res.body.decision_id, status: 'rejected', reasonCode: 'not_whitelisted', symbol: 'DOGE/USDT' });
		expect(await tableCounts(stack.storage)).toMatchObject({ decisions: before.counts.decisions + 1, positions: before.counts.positions });
		// Send Signal Card runs after the answer (waited for in send()): "Only Approved Decisions" sends nothing
		expect(stack.telegram.calls).toHaveLength(before.calls);
	});

	it('stale (10 minutes old): 200 rejected stale with the lag and the 60 s limit; stored, no position', async () => {
		const before = await tableCounts(stack.storage);
		const calls = stack.telegram.calls.length;
		const alert = tvAlert(stack.secret, { asset: 'SOL', timeMs: Date.now() - 600_000 });
		const res = await send(alert);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 'rejected', reason_code: 'stale' });
		const staleness = gate(res.body, 'staleness');
		expect(staleness.passed).toBe(false);
		expect(staleness.limit).toBe(60);
		expect(staleness.value).toBeGreaterThanOrEqual(600);
		expect(await stack.storage.decisions.getByAlertId(String(alert.alert_id))).toMatchObject({ id: res.body.decision_id, status: 'rejected', reasonCode: 'stale' });
		expect(await tableCounts(stack.storage)).toMatchObject({ decisions: before.decisions + 1, positions: before.positions });
		expect(stack.telegram.calls).toHaveLength(calls);
	});

	it('R/R too low (target +3 %, stop −3 %: 1.0 < 1.5): 200 rejected reward_risk_below_min; stored, no position', async () => {
		const before = await tableCounts(stack.storage);
		const calls = stack.telegram.calls.length;
		const alert = tvAlert(stack.secret, { asset: 'SOL', targetRatio: 0.03 });
		const res = await send(alert);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 'rejected', reason_code: 'reward_risk_below_min' });
		const rr = gate(res.body, 'minRewardRisk');
		expect(rr).toMatchObject({ passed: false, limit: 1.5 });
		expect(rr.value).toBeCloseTo(1, 6);
		const decision = await stack.storage.decisions.getByAlertId(String(alert.alert_id));
		expect(decision).toMatchObject({ id: res.body.decision_id, status: 'rejected', reasonCode: 'reward_risk_below_min', symbol: 'SOL/USDT' });
		expect(JSON.parse(decision!.receiptJson).size.quantity).toBe(0);
		expect(await tableCounts(stack.storage)).toMatchObject({ decisions: before.decisions + 1, positions: before.positions });
		expect(stack.telegram.calls).toHaveLength(calls);
	});

	it('while at 30 % heat: after full positions opened through the service API, the next asset is rejected portfolio_heat', async () => {
		// Fill the book to 30 % of equity: full-Kelly entries (10 % cap each) on three more assets.
		for (const asset of ['SOL', 'BNB', 'AVAX']) {
			const setup = await serviceApi(stack, 'POST', '/v1/signals/tradingview', { ...tvAlert(stack.secret, { asset }), thresholds: { kelly_fraction: 1 } });
			expect(setup.status, JSON.stringify(setup.body)).toBe(200);
			expect(setup.body.status, JSON.stringify(setup.body)).toBe('approved');
		}
		const before = await tableCounts(stack.storage);
		const calls = stack.telegram.calls.length;
		const alert = tvAlert(stack.secret, { asset: 'NEAR' });
		const res = await send(alert);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 'rejected', reason_code: 'portfolio_heat' });
		const heat = gate(res.body, 'portfolioHeat');
		expect(heat).toMatchObject({ passed: false, limit: 0.3 });
		expect(heat.value).toBeGreaterThan(0.3);
		const decision = await stack.storage.decisions.getByAlertId(String(alert.alert_id));
		expect(decision).toMatchObject({ id: res.body.decision_id, status: 'rejected', reasonCode: 'portfolio_heat', symbol: 'NEAR/USDT' });
		const account = JSON.parse(decision!.receiptJson).account;
		expect(account.heat_ratio).toBeGreaterThan(0.299);
		expect(account.heat_ratio).toBeLessThanOrEqual(0.3 + 1e-9);
		expect(await tableCounts(stack.storage)).toMatchObject({ decisions: before.decisions + 1, positions: before.positions });
		expect(stack.telegram.calls).toHaveLength(calls);
	});

	it('after a −5 % day: a 20 % gap down stops out the book (positions check), the check stores a 24 h halt and the next alert is rejected halted', async () => {
		const open = await stack.storage.paperLedger.openPositions();
		const prices = Object.fromEntries(open.map((p) => [p.symbol, p.entryPrice * 0.8]));
		const checkedAt = Date.now();
		const check = await serviceApi(stack, 'POST', '/v1/positions/check', { prices });
		expect(check.status, JSON.stringify(check.body)).toBe(200);
		// the risk monitor sees the marked-to-market day itself and starts the halt
		expect(check.body.halt).toMatchObject({ limit: -0.05 });
		expect(check.body.closed.map((c: { exit_reason: string }) => c.exit_reason)).toEqual(open.map(() => 'stop'));
		expect(await stack.storage.paperLedger.openPositions()).toEqual([]);
		expect((await tableCounts(stack.storage)).trades).toBe(open.length);

		const calls = stack.telegram.calls.length;
		const alert = tvAlert(stack.secret, { asset: 'ARB' });
		const res = await send(alert);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 'rejected', reason_code: 'halted' });
		const dd = gate(res.body, 'dailyDrawdownHalt');
		expect(dd).toMatchObject({ passed: false, limit: -0.05 });
		expect(dd.value).toBeLessThan(-0.05); // ≈ −30 % × 20 % = −6 % and fees
		expect(await stack.storage.decisions.getByAlertId(String(alert.alert_id))).toMatchObject({ id: res.body.decision_id, status: 'rejected', reasonCode: 'halted' });
		const halt = await stack.storage.riskState.get('halt_until');
		expect(Number(halt!.value)).toBeGreaterThanOrEqual(checkedAt + 24 * 3_600_000 - 5_000);
		expect(Number(halt!.value)).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);

		const next = await send(tvAlert(stack.secret, { asset: 'OP' }));
		expect(next.body).toMatchObject({ status: 'rejected', reason_code: 'halted' });
		expect(await stack.storage.paperLedger.openPositions()).toEqual([]);
		expect(stack.telegram.calls).toHaveLength(calls);
	});

	it('button press: a callback_query to the buttons webhook is recorded against the decision and answered', async () => {
		const messageId = (valid.card.response as { result: { message_id: number } }).result.message_id;
		const update = callbackQueryUpdate({ data: `hfq:executed:${valid.decisionId}`, messageId, chatId: Number(CHAT_ID) });
		const queryId = (update.callback_query as { id: string }).id;
		// Forged presses (no token, a wrong one) change nothing: not recorded, not answered, buttons kept.
		for (const token of [null, 'wrong', `${stack.buttonsSecretToken}x`]) {
			const forged = await pressButton(update, token);
			expect(forged.status, forged.text).toBe(200);
		}
		expect(await stack.storage.db.selectFrom('callbackEvents').selectAll().execute()).toEqual([]);
		expect(stack.telegram.calls.filter((c) => c.method === 'answerCallbackQuery' || c.method === 'editMessageReplyMarkup')).toEqual([]);

		const res = await pressButton(update);
		expect(res.status, res.text).toBe(200);
		expect(JSON.parse(res.text)).toMatchObject({ ok: true });
		expect(res.execution.status).toBe('success');

		const [answer] = await stack.telegram.waitForCalls('answerCallbackQuery', 1);
		expect(answer.fields.callback_query_id).toBe(queryId);
		const events = await stack.storage.db.selectFrom('callbackEvents').selectAll().execute();
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({ decisionId: valid.decisionId, action: 'executed', callbackQueryId: queryId });
		// the card's buttons are replaced by the recorded choice
		const [edit] = await stack.telegram.waitForCalls('editMessageReplyMarkup', 1);
		expect(Number(edit.fields.message_id)).toBe(messageId);
		expect(String(edit.fields.chat_id)).toBe(CHAT_ID);
		expect(JSON.stringify(edit.replyMarkup)).toMatch(/Executed/);
		expect(edit.status).toBe(200);

		// Telegram redelivers the same update: recorded once, answered again
		const again = await pressButton(update);
		expect(again.status).toBe(200);
		expect(await stack.storage.db.selectFrom('callbackEvents').selectAll().execute()).toHaveLength(1);
		await stack.telegram.waitForCalls('answerCallbackQuery', 2);
	});

	it('every execution of both workflows succeeded (the wrong-secret one answered 401 on purpose)', () => {
		const executions = [...stack.n8n.executions({ workflowId: signalWorkflowId(), limit: 200 }), ...stack.n8n.executions({ workflowId: buttonsWorkflowId(), limit: 200 })];
		expect(executions.filter((e) => e.status !== 'success').map((e) => ({ id: e.id, status: e.status, error: e.error }))).toEqual([]);
	});
});
