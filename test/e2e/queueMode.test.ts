// The production stack's n8n set-up, end to end on each tested release: n8n in queue mode (its own
// database on the machine's Postgres, the Bull queue on Redis) with main, one `n8n worker` and one
// `n8n webhook` process, main told to leave production webhooks alone
// (N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true) — what docker-compose.yml runs with its `webhooks`
// profile, where Caddy sends /webhook/* to the webhook processes. TradingView alerts and Telegram
// button presses go to the webhook process, the worker runs the workflow, and the answer comes back
// through the queue: each alert is decided once, answered with its decision and carded once.
// Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust; `.ci/run` starts it): without it the
// test FAILS when `CI` is set and is skipped, with the reason, otherwise.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callbackQueryUpdate, waitFor } from '../fakes';
import { N8N_TEST_VERSIONS } from '../support/n8nHarness';
import { N8N_THROUGHPUT_ENV } from '../../scripts/n8n/throughputEnv.mjs';
import { postAlert, tvAlert } from './support/alerts';
import { IN_CI } from '../support/n8nEditor';
import { n8nQueueMode, postgresMissing } from './support/n8nQueueMode';
import { CHAT_ID, startPipelineStack, tableCounts, type PipelineStack } from './support/pipelineStack';

let stack: PipelineStack;
let queue: ReturnType<typeof n8nQueueMode> | null = null;

const skipReason = IN_CI ? null : postgresMissing();
if (skipReason !== null) console.warn(`SKIPPED queue-mode end-to-end test: ${skipReason}`);

const cards = () => stack.telegram.calls.filter((c) => c.method === 'sendPhoto' || c.method === 'sendMessage');

describe.skipIf(skipReason !== null).each(N8N_TEST_VERSIONS)('queue mode on n8n %s: main + worker + webhook process (Postgres, Redis)', (version) => {
	beforeAll(async () => {
		queue = n8nQueueMode('e2e');
		stack = await startPipelineStack({
			n8nVersion: version,
			n8nEnv: { ...N8N_THROUGHPUT_ENV, ...queue.env, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
			n8nWorkers: 1,
			n8nWebhookProcesses: 1,
			log: process.env.HFQ_E2E_VERBOSE ? (line) => console.log(line) : undefined,
		});
		console.log(`[e2e] queue mode up on n8n ${version}; timings ms ${JSON.stringify(stack.timings)}`);
	});

	afterAll(async () => {
		await stack?.stop();
		queue?.drop();
		queue = null;
	});

	afterEach((ctx) => {
		if (ctx.task.result?.state === 'fail' && stack) console.error(stack.diagnostics());
	});

	let decided: { decisionId: number; messageId: number };

	it('an alert to the webhook process is decided by the worker: 200 with the decision, one card, one stored decision', async () => {
		expect(stack.signalWebhookUrl).not.toBe(stack.n8n.webhookUrl('tradingview'));
		const alert = tvAlert(stack.secret, { asset: 'BTC' });
		const res = await postAlert(stack.signalWebhookUrl, alert);
		expect(res.status, res.text).toBe(200);
		expect(res.body).toMatchObject({ status: 'approved', reason_code: 'approved', duplicate: false, alert_id: alert.alert_id });
		const card = await waitFor(() => cards()[0], { what: 'the signal card on the Telegram fake' });
		expect(String(card.fields.chat_id)).toBe(CHAT_ID);
		expect(String(card.fields.caption ?? card.fields.text)).toContain('BUY BTC/USDT');
		expect(await tableCounts(stack.storage)).toMatchObject({ signals: 1, decisions: 1, positions: 1 });
		decided = { decisionId: res.body.decision_id as number, messageId: (card.response as { result: { message_id: number } }).result.message_id };
	});

	it("main leaves production webhooks to the webhook process: the same alert at main's URL is not run", async () => {
		const res = await fetch(stack.n8n.webhookUrl('tradingview'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tvAlert(stack.secret, { asset: 'ETH' })) });
		expect(res.status).toBe(404);
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(await tableCounts(stack.storage)).toMatchObject({ signals: 1, decisions: 1 });
	});

	it('ten alerts at once through the queue: ten decisions, each answered with its own; a card for each approved one', async () => {
		const alerts = ['ETH', 'SOL', 'AVAX', 'BNB', 'NEAR', 'ARB', 'OP', 'POL', 'ETH', 'SOL'].map((asset) => tvAlert(stack.secret, { asset }));
		const answers = await Promise.all(alerts.map((alert) => postAlert(stack.signalWebhookUrl, alert)));
		for (const [i, res] of answers.entries()) {
			expect(res.status, res.text).toBe(200);
			expect(res.body.alert_id).toBe(alerts[i]!.alert_id);
			expect(['approved', 'rejected']).toContain(res.body.status);
		}
		expect(new Set(answers.map((r) => r.body.decision_id)).size).toBe(10);
		const approved = answers.filter((r) => r.body.status === 'approved').length;
		expect(approved).toBeGreaterThan(0);
		await waitFor(() => cards().length >= 1 + approved || undefined, { what: `${1 + approved} signal cards` });
		expect(await tableCounts(stack.storage)).toMatchObject({ decisions: 11, positions: 1 + approved });
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(cards()).toHaveLength(1 + approved);
	});

	it('a Telegram button press through the webhook process is recorded against the decision and answered', async () => {
		const update = callbackQueryUpdate({ data: `hfq:executed:${decided.decisionId}`, messageId: decided.messageId, chatId: Number(CHAT_ID) });
		const res = await fetch(stack.buttonsWebhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': stack.buttonsSecretToken }, body: JSON.stringify(update) });
		expect(res.status, await res.text()).toBe(200);
		await stack.telegram.waitForCalls('answerCallbackQuery', 1);
		const events = await stack.storage.db.selectFrom('callbackEvents').selectAll().execute();
		expect(events).toEqual([expect.objectContaining({ decisionId: decided.decisionId, action: 'executed' })]);
	});
});
