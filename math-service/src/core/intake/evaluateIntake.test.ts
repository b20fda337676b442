import { describe, expect, it } from 'vitest';
import { InvalidInputError, OperatorError } from '../../errors.js';
import { evaluateIntake } from './evaluateIntake.js';
import type { TradingViewAlert } from './tradingViewAlertSchema.js';

const NOW = 1_740_003_610_000;
const ALERT: TradingViewAlert = {
	secret: 's3cret',
	alertId: 'BINANCE:BTCUSDT-60-1740000000000-long',
	action: 'buy',
	ticker: 'BTCUSDT',
	exchange: 'BINANCE',
	interval: '60',
	timeMs: 1_740_003_600_000,
	close: 84012.5,
	vwap: 86020.1,
	stop: 81492.1,
	target: 86020.1,
};
const CONFIG = { expectedSecret: 's3cret' };

describe('evaluateIntake', () => {
	it('approves a whitelisted, fresh, authenticated alert with its gates and normalised form', () => {
		const outcome = evaluateIntake(ALERT, CONFIG, NOW);
		expect(outcome.status).toBe('approved');
		if (outcome.status === 'unauthorized') return;
		expect(outcome.reasonCode).toBeNull();
		expect(outcome.key).toBe('id:BINANCE:BTCUSDT-60-1740000000000-long');
		expect(outcome.gates.map((g) => [g.name, g.passed])).toEqual([
			['symbol', true],
			['whitelist', true],
			['staleness', true],
		]);
		expect(outcome.normalized).toMatchObject({
			symbol: 'BTC/USDT',
			base: 'BTC',
			quote: 'USDT',
			tier: 1,
			intent: 'open',
			exchange: 'BINANCE',
			close: 84012.5,
		});
		expect(JSON.stringify(outcome)).not.toContain('s3cret');
	});

	it('still verifies a parsed secret that differs from the one the caller verified', () => {
		// The caller verified 's3cret' in the raw body; the parsed alert says something else.
		const outcome = evaluateIntake({ ...ALERT, secret: 'wrong' }, CONFIG, NOW, { verifiedSecret: 's3cret' });
		expect(outcome).toEqual({ status: 'unauthorized', reasonCode: 'bad_secret', reason: 'missing or wrong secret' });
		expect(evaluateIntake(ALERT, CONFIG, NOW, { verifiedSecret: 's3cret' }).status).toBe('approved');
	});

	it('validates a frozen configuration once and keeps refusing an invalid one', () => {
		const frozen = Object.freeze({ expectedSecret: 's3cret', maxLagMs: 1_000 });
		expect(evaluateIntake(ALERT, frozen, NOW).status).toBe('rejected'); // 10 s old, 1 s allowed
		expect(evaluateIntake(ALERT, frozen, NOW).status).toBe('rejected');
		const invalid = Object.freeze({ expectedSecret: 's3cret', maxLagMs: -1 });
		for (let i = 0; i < 2; i++) expect(() => evaluateIntake(ALERT, invalid, NOW)).toThrow(InvalidInputError);
	});

	it('returns unauthorized (not rejected) for a wrong or missing secret, with no gates or key', () => {
		for (const secret of ['wrong', undefined, '']) {
			const outcome = evaluateIntake({ ...ALERT, secret }, CONFIG, NOW);
			expect(outcome).toEqual({ status: 'unauthorized', reasonCode: 'bad_secret', reason: 'missing or wrong secret' });
		}
	});

	it('checks the source IP only when an allowlist is configured', () => {
		expect(
			evaluateIntake(ALERT, { ...CONFIG, ipAllowlist: 'tradingview' }, NOW, { sourceIp: '10.0.0.1' }),
		).toMatchObject({ status: 'unauthorized', reasonCode: 'ip_not_allowed' });
		expect(
			evaluateIntake(ALERT, { ...CONFIG, ipAllowlist: 'tradingview' }, NOW, { sourceIp: '::ffff:52.32.178.7' }).status,
		).toBe('approved');
		expect(evaluateIntake(ALERT, { ...CONFIG, ipAllowlist: ['127.0.0.1'] }, NOW, {}).status).toBe('unauthorized');
		expect(evaluateIntake(ALERT, CONFIG, NOW, { sourceIp: '10.0.0.1' }).status).toBe('approved');
	});

	it('rejects a non-whitelisted asset with not_whitelisted naming the base asset', () => {
		const outcome = evaluateIntake({ ...ALERT, ticker: 'BINANCE:DOGEUSDT' }, CONFIG, NOW);
		expect(outcome).toMatchObject({ status: 'rejected', reasonCode: 'not_whitelisted' });
		expect(outcome.reason).toMatch(/^DOGE is not in the asset whitelist/);
	});

	it('rejects BASE as no_tradable_token', () => {
		expect(evaluateIntake({ ...ALERT, ticker: 'BASEUSDT' }, CONFIG, NOW)).toMatchObject({
			status: 'rejected',
			reasonCode: 'no_tradable_token',
		});
	});

	it('approves MATIC as POL and says so', () => {
		const outcome = evaluateIntake({ ...ALERT, ticker: 'MATICUSDT' }, CONFIG, NOW);
		expect(outcome.status).toBe('approved');
		if (outcome.status === 'unauthorized') return;
		expect(outcome.normalized).toMatchObject({
			symbol: 'POL/USDT',
			originalSymbol: 'MATIC/USDT',
			base: 'POL',
			tier: 3,
		});
		expect(outcome.normalized?.notes.join(' ')).toMatch(/renamed POL/);
	});

	it('rejects an unrecognisable ticker as unrecognized_symbol with normalized null', () => {
		expect(evaluateIntake({ ...ALERT, ticker: 'BTC.D' }, CONFIG, NOW)).toMatchObject({
			status: 'rejected',
			reasonCode: 'unrecognized_symbol',
			normalized: null,
		});
	});

	it('rejects stale and future alerts with the lag in the reason', () => {
		const stale = evaluateIntake(ALERT, { ...CONFIG, maxLagMs: 5_000 }, NOW);
		expect(stale).toMatchObject({ status: 'rejected', reasonCode: 'stale' });
		expect(stale.reason).toContain('10000 ms');
		expect(evaluateIntake({ ...ALERT, timeMs: NOW + 60_000 }, CONFIG, NOW)).toMatchObject({
			status: 'rejected',
			reasonCode: 'future_time',
		});
	});

	it('reports the first failure but evaluates every gate', () => {
		const outcome = evaluateIntake({ ...ALERT, ticker: 'DOGEUSDT', timeMs: NOW - 3_600_000 }, CONFIG, NOW);
		if (outcome.status === 'unauthorized') throw new Error('unexpected');
		expect(outcome.reasonCode).toBe('not_whitelisted');
		expect(outcome.gates.filter((g) => !g.passed).map((g) => g.name)).toEqual(['whitelist', 'staleness']);
	});

	it("adds one bar interval when the time is TradingView's bar-open {{time}}", () => {
		const barOpen = { ...ALERT, timeMs: NOW - 3_600_000 - 2_000 };
		expect(evaluateIntake(barOpen, CONFIG, NOW).reasonCode).toBe('stale');
		expect(evaluateIntake(barOpen, { ...CONFIG, alertTimeIs: 'bar_open' }, NOW).status).toBe('approved');
	});

	it('marks sell/exit alerts as closes', () => {
		const outcome = evaluateIntake({ ...ALERT, action: 'exit', stop: null, target: null }, CONFIG, NOW);
		expect(outcome.status === 'approved' && outcome.normalized?.intent).toBe('close');
	});

	it('uses configured tiers', () => {
		const outcome = evaluateIntake(
			{ ...ALERT, ticker: 'DOGEUSDT' },
			{ ...CONFIG, whitelist: { tier3: ['DOGE'] } },
			NOW,
		);
		expect(outcome.status).toBe('approved');
		expect(evaluateIntake(ALERT, { ...CONFIG, whitelist: { tier1: [] } }, NOW).reasonCode).toBe('not_whitelisted');
	});

	it('throws OperatorError without a configured secret and InvalidInputError for a bad config', () => {
		expect(() => evaluateIntake(ALERT, { expectedSecret: '' }, NOW)).toThrow(OperatorError);
		expect(() => evaluateIntake(ALERT, { ...CONFIG, maxLagMs: -1 }, NOW)).toThrow(InvalidInputError);
	});
});
