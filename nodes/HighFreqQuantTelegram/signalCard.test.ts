import { describe, expect, it } from 'vitest';

import { cardDataFromItem } from './cardDataFromItem';
import { CAPTION_LIMIT, escapeHtml, MESSAGE_LIMIT, renderLines, renderSignalCard, type SignalCardData } from './signalCard';

const card: SignalCardData = {
	decisionId: 'dec_01JABCDEF',
	status: 'approved',
	action: 'buy',
	symbol: 'ETH/USDT',
	asset: 'ETH',
	tier: 1,
	entry: 3000,
	exitPrice: null,
	stop: 2940,
	target: 3090,
	positionPct: 4.25,
	quantity: 0.1416,
	rewardRisk: 1.5,
	gates: [
		{ name: 'whitelist', passed: true },
		{ name: 'portfolio_heat', passed: false },
	],
	llmNote: 'GLM-5 agrees <within 0.005> & says fine',
	mode: 'paper',
};

/** Telegram HTML → visible text, to check that every tag opened is closed. */
function tagsBalanced(html: string): boolean {
	const stack: string[] = [];
	for (const match of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
		if (match[1] === '') stack.push(match[2]);
		else if (stack.pop() !== match[2]) return false;
	}
	return stack.length === 0;
}

describe('signal card', () => {
	it('shows levels with distances, size, quantity, R/R, gates, PAPER badge, decision id and the escaped LLM note', () => {
		const { html, truncated } = renderSignalCard(card);
		expect(truncated).toBe(false);
		expect(html).toContain('<b>BUY ETH/USDT</b> · Tier 1 · <b>📝 PAPER</b>');
		expect(html).toContain('Entry  <code>3,000</code>');
		expect(html).toContain('Stop   <code>2,940</code> (−2.00%)');
		expect(html).toContain('Target <code>3,090</code> (+3.00%)');
		expect(html).toContain('Size <b>4.25%</b> of equity · qty <code>0.1416</code> ETH');
		expect(html).toContain('R/R <b>1.5</b>');
		expect(html).toContain('✅ whitelist  ❌ portfolio_heat');
		expect(html).toContain('<a href="https://app.1inch.io/swap?src=1:USDT&amp;dst=1:ETH">Swap USDT → ETH on 1inch (Ethereum)</a>');
		expect(html).toContain('Flashbots Protect RPC (https://rpc.flashbots.net, chain id 1)');
		expect(html).toContain('Decision <code>dec_01JABCDEF</code>');
		expect(html).toContain('<i>GLM-5 agrees &lt;within 0.005&gt; &amp; says fine</i>');
		expect(tagsBalanced(html)).toBe(true);
	});

	it('says LIVE and shows the rejection reason for a rejected live decision', () => {
		const { html } = renderSignalCard({ ...card, mode: 'live', status: 'rejected', reason: 'heat 31% > 30%' });
		expect(html).toContain('⛔ <b>BUY ETH/USDT</b>');
		expect(html).toContain('<b>🔴 LIVE</b>');
		expect(html).toContain('<i>Rejected: heat 31% &gt; 30%</i>');
	});

	it('says honestly that SOL has no 1inch route and that Flashbots only covers Ethereum for ARB', () => {
		expect(renderSignalCard({ ...card, asset: 'SOL', symbol: 'SOL/USDT' }).html).toContain('no route for SOL');
		expect(renderSignalCard({ ...card, asset: 'SOL', symbol: 'SOL/USDT' }).html).not.toContain('1inch.io');
		const arb = renderSignalCard({ ...card, asset: 'ARB', symbol: 'ARB/USDT' }).html;
		expect(arb).toContain('src=42161:USDT&amp;dst=42161:ARB');
		expect(arb).toContain('Flashbots Protect covers Ethereum mainnet only');
	});

	it('cuts a huge LLM note to fit 4096 and 1024 characters, keeping the decision id and balanced tags', () => {
		const long = { ...card, llmNote: '<&>'.repeat(3000) + '😀'.repeat(500) };
		for (const limit of [MESSAGE_LIMIT, CAPTION_LIMIT]) {
			const { html, truncated } = renderSignalCard(long, limit);
			expect(truncated).toBe(true);
			expect(html.length).toBeLessThanOrEqual(limit);
			expect(html.length).toBeGreaterThan(limit - 20);
			expect(html).toContain('Decision <code>dec_01JABCDEF</code>');
			expect(html.endsWith('…</i>')).toBe(true);
			expect(tagsBalanced(html)).toBe(true);
			expect(html).not.toMatch(/&[a-z]*…/); // no entity cut in half
		}
	});

	it('never splits a surrogate pair or a tag at tiny limits', () => {
		const lines = [[{ text: '😀'.repeat(40), style: 'b' as const }]];
		for (let limit = 0; limit < 40; limit++) {
			const { html } = renderLines(lines, limit);
			expect(html.length).toBeLessThanOrEqual(limit);
			expect(tagsBalanced(html)).toBe(true);
			expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
		}
	});

	it('shows an exit with its price and links the swap back to USDT', () => {
		const { html } = renderSignalCard({
			...card,
			action: 'sell',
			entry: null,
			exitPrice: 3100,
			reason: 'closed 1 open ETH/USDT position(s) of vwap-mean-reversion at 3100',
			positionPct: null,
		});
		expect(html).toContain('🔻 <b>SELL ETH/USDT</b>');
		expect(html).toContain('Exit   <code>3,100</code>');
		expect(html).toContain('<i>closed 1 open ETH/USDT position(s) of vwap-mean-reversion at 3100</i>');
		expect(html).not.toContain('Size');
		expect(html).toContain('<a href="https://app.1inch.io/swap?src=1:ETH&amp;dst=1:USDT">Swap ETH → USDT on 1inch (Ethereum)</a>');
	});

	it('escapes &, <, > and quotes', () => {
		expect(escapeHtml('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
	});
});

describe('cardDataFromItem', () => {
	it('reads a Decide output: receipt numbers, intake + risk gates, LLM note and rationale', () => {
		const data = cardDataFromItem({
			status: 'approved',
			decision_id: 'dec_9',
			signal: { symbol: 'BTC/USDT', asset: 'BTC', tier: 1, action: 'buy' },
			gates: [{ name: 'whitelist', passed: true }],
			receipt: {
				entry: 87420.5,
				stop: 85900,
				target: 90800,
				position_pct: 6.25,
				quantity: '0.0071',
				reward_risk: 2.22,
				mode: 'PAPER',
				gates: [{ name: 'daily_drawdown', passed: false, detail: '−5.2% ≤ −5%' }],
				llm: { status: 'agrees', note: 'LLM agrees', rationale: 'quarter Kelly of 0.25' },
			},
		});
		expect(data).toMatchObject({
			decisionId: 'dec_9',
			symbol: 'BTC/USDT',
			asset: 'BTC',
			tier: 1,
			entry: 87420.5,
			quantity: 0.0071,
			rewardRisk: 2.22,
			mode: 'paper',
			llmNote: 'LLM agrees — quarter Kelly of 0.25',
		});
		expect(data.gates).toEqual([
			{ name: 'whitelist', passed: true, detail: undefined },
			{ name: 'daily_drawdown', passed: false, detail: '−5.2% ≤ −5%' },
		]);
	});

	it('returns an empty decision id when the item has none', () => {
		expect(cardDataFromItem({ symbol: 'ETH/USDT' }).decisionId).toBe('');
	});
});
