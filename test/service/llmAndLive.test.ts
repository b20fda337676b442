// The advisory LLM through the real pipeline against the loopback Ollama fake (agree, disagree,
// unreachable, slow): it is reported on the receipt and never changes a size. And LIVE mode:
// HFQ_MODE=LIVE without a passing backtest never opens a position or places an order; without its
// confirmation and keys it runs PAPER and says why.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fakes/fakeOllama';
import { startFakeBinanceAccount } from '../fakes/fakeBinanceAccount';
import { alert, counts, post, startService, type ServiceHarness } from './serviceHarness';

let ollama: FakeOllama;
let h: ServiceHarness | undefined;

beforeAll(async () => {
	ollama = await startFakeOllama();
});
afterAll(async () => {
	await ollama.close();
});
afterEach(async () => {
	ollama.reset();
	await h?.close();
	h = undefined;
});

const QUARTER_KELLY_PRIOR = (0.5 - 0.5 / 1.5) * 0.25;

async function decideWith(settings: Record<string, unknown>, thresholds: Record<string, unknown> = {}) {
	h = await startService({ settings });
	const res = await post(h.app, '/v1/signals/tradingview', { ...alert(), thresholds });
	expect(res.status).toBe(200);
	return (await res.json()) as Record<string, any>;
}

describe('LLM cross-check (advisory only)', () => {
	it('agrees: the receipt says so and the size is the deterministic one', async () => {
		ollama.reply({ json: { fractional_kelly: QUARTER_KELLY_PRIOR + 0.001, rationale: 'f* = 1/6, quarter of it.' } });
		const d = await decideWith({ ollamaHost: ollama.url });
		expect(d.receipt.llm).toMatchObject({ status: 'agrees', model: 'glm-5:cloud', rationale: 'f* = 1/6, quarter of it.' });
		expect(d.receipt.kelly.fractional_kelly).toBeCloseTo(QUARTER_KELLY_PRIOR, 12);
		expect(ollama.calls.filter((c) => c.endpoint === 'generate').map((c) => c.model)).toEqual(['glm-5:cloud']);
	});

	it('disagrees: flagged with both numbers, deterministic size kept', async () => {
		ollama.reply({ json: { fractional_kelly: 0.25, rationale: 'Bet a quarter.' } });
		const d = await decideWith({ ollamaHost: ollama.url });
		expect(d.status).toBe('approved');
		expect(d.receipt.llm).toMatchObject({ status: 'disagrees', llm_fractional_kelly: 0.25 });
		expect(d.receipt.llm.note).toMatch(/deterministic value kept/);
		expect(d.receipt.size.position_pct).toBeCloseTo(QUARTER_KELLY_PRIOR * 100, 9);
	});

	it('unreachable or slow: status unavailable within the timeout, the decision goes on', async () => {
		ollama.setMode('down');
		const down = await decideWith({ ollamaHost: ollama.url });
		expect(down).toMatchObject({ status: 'approved' });
		expect(down.receipt.llm.status).toBe('unavailable');
		await h!.close();
		h = undefined;
		ollama.setMode('slow', { delayMs: 2_000 });
		const slow = await decideWith({ ollamaHost: ollama.url }, { llm: { timeout_ms: 100 } });
		expect(slow.status).toBe('approved');
		expect(slow.receipt.llm).toMatchObject({ status: 'unavailable' });
		expect(slow.receipt.llm.note).toMatch(/timed out after 100 ms/);
	});

	it('uses the model named in the thresholds', async () => {
		ollama.reply({ json: { fractional_kelly: QUARTER_KELLY_PRIOR, rationale: 'ok' } });
		await decideWith({ ollamaHost: ollama.url }, { llm: { model: 'llama3.1:8b' } });
		expect(ollama.calls.find((c) => c.endpoint === 'generate')?.model).toBe('llama3.1:8b');
	});
});

describe('HFQ_MODE=LIVE', () => {
	it('armed, without a passing backtest: rejected live_not_permitted, no paper position, no order at the exchange', async () => {
		const exchange = await startFakeBinanceAccount({ prices: { ETHUSDT: 2000, BTCUSDT: 64_000 } });
		try {
			h = await startService({
				env: { HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY', EXCHANGE_API_KEY: exchange.apiKey, EXCHANGE_API_SECRET: exchange.apiSecret, HFQ_LIVE_BASE_URL: exchange.origin },
			});
			const res = (await (await post(h.app, '/v1/signals/tradingview', alert())).json()) as Record<string, any>;
			expect(res).toMatchObject({ status: 'rejected', reason_code: 'live_not_permitted', mode: 'LIVE' });
			expect(res.receipt.live).toMatchObject({ allowed: false, reason_code: 'no_backtest' });
			expect(exchange.placedOrders()).toEqual([]);
			expect(await counts(h.storage)).toMatchObject({ decisions: 1, positions: 0, orders: 0 });
		} finally {
			await exchange.close();
		}
	});

	it('without the confirmation and the keys: runs PAPER and names the refusal on the receipt', async () => {
		h = await startService({ env: { HFQ_MODE: 'LIVE' } });
		const res = (await (await post(h.app, '/v1/signals/tradingview', alert())).json()) as Record<string, any>;
		expect(res).toMatchObject({ mode: 'PAPER' });
		expect(res.receipt.live_refused).toMatch(/^LIVE REFUSED: HFQ_LIVE_CONFIRM is not set/);
	});
});
