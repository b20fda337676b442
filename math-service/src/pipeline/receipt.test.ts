import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../core/deepFreeze.js';
import { decisionResponse, decisionResponseText, stringifyReceipt } from './receipt.js';
import { resolveThresholds, thresholdsToWire } from './thresholds.js';

const gates = [
	{ name: 'rewardRisk', passed: true, value: 1.67, limit: 1.5, detail: 'R/R 1.67 ≥ 1.5 "ok"' },
	{ name: 'portfolioHeat', passed: false, value: 0.31, limit: 0.3, detail: 'heat 31 % > 30 %', reason_code: 'portfolio_heat' },
];

function receipt(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		mode: 'PAPER',
		alert_id: 'a-1',
		signal_id: 7,
		thresholds: thresholdsToWire(deepFreeze(resolveThresholds({}))),
		status: 'rejected',
		reason: 'heat',
		live_refused: undefined,
		gates,
		account: { equity: 10_000, halt_until: null },
		execution: null,
		...extra,
	};
}

describe('stringifyReceipt', () => {
	it('returns the text of JSON.stringify, undefined values left out, and the gates alone', () => {
		const r = receipt();
		const text = stringifyReceipt(r);
		expect(text.json).toBe(JSON.stringify(r));
		expect(text.gatesJson).toBe(JSON.stringify(gates));
	});

	it('reads the same for a receipt without gates, an empty one and one whose first value is undefined', () => {
		for (const r of [{ a: 1, b: [1, 'x'] }, {}, { a: undefined, b: 2 }, { gates: 'not a list', c: 3 }]) {
			expect(stringifyReceipt(r).json).toBe(JSON.stringify(r));
		}
	});

	it('serialises shared frozen thresholds once and still shows what each receipt holds', () => {
		const first = stringifyReceipt(receipt());
		const second = stringifyReceipt(receipt({ alert_id: 'a-2', account: { equity: 9_000, halt_until: null } }));
		expect(JSON.parse(second.json)).toMatchObject({ alert_id: 'a-2', account: { equity: 9_000 }, thresholds: JSON.parse(first.json).thresholds });
		// an object that is not frozen is read anew every time
		const account = { equity: 1 };
		stringifyReceipt(receipt({ account }));
		account.equity = 2;
		expect(JSON.parse(stringifyReceipt(receipt({ account })).json).account).toEqual({ equity: 2 });
	});

	it('assembles the answer text as JSON.stringify(decisionResponse(…)) would', () => {
		const r = receipt();
		const text = stringifyReceipt(r);
		const decision = { id: 12, signalId: 7, alertId: 'a-1', status: 'rejected' as const, reasonCode: 'portfolio_heat', symbol: 'BTC/USDT', receiptJson: text.json, createdAt: 0 };
		expect(decisionResponseText(decision, false, r, text)).toBe(JSON.stringify(decisionResponse(decision, false, r)));
	});
});
