import { describe, expect, it, vi } from 'vitest';
import type { KpiInput } from '../core/gates/kpiGates';
import { OperatorError } from '../errors';
import { createLiveBroker, noRecordedBacktests } from './liveBroker';

const PASSING: KpiInput = { tradeCount: 612, spanYears: 2.4, winRate: 0.57, profitFactor: 1.55, maxDrawdownRatio: 0.11, sharpeRatio: 1.3 };
const order = { strategy: 'vwap-mean-reversion', symbol: 'BTC/USDT', side: 'buy' as const, quantity: 0.01, price: 64_000, decisionId: 1 };

describe('createLiveBroker', () => {
	it('refuses in PAPER mode even with a passing backtest and an adapter, and never calls the adapter', async () => {
		const placeOrder = vi.fn(async () => ({ exchangeOrderId: 'x' }));
		const broker = createLiveBroker({ mode: 'PAPER', latestBacktestKpi: async () => PASSING, placeOrder });
		expect(await broker.authorize('s')).toMatchObject({ allowed: false, reasonCode: 'not_live_mode' });
		await expect(broker.place(order)).rejects.toBeInstanceOf(OperatorError);
		expect(placeOrder).not.toHaveBeenCalled();
	});

	it('refuses in LIVE mode without a recorded backtest (the default source)', async () => {
		const placeOrder = vi.fn(async () => ({ exchangeOrderId: 'x' }));
		const broker = createLiveBroker({ mode: 'LIVE', latestBacktestKpi: noRecordedBacktests, placeOrder });
		expect(await broker.authorize('s')).toMatchObject({ allowed: false, reasonCode: 'no_backtest' });
		await expect(broker.place(order)).rejects.toThrow(/no backtest/);
		expect(placeOrder).not.toHaveBeenCalled();
	});

	it('refuses in LIVE mode when the latest backtest fails a KPI gate, naming it', async () => {
		const broker = createLiveBroker({ mode: 'LIVE', latestBacktestKpi: async () => ({ ...PASSING, winRate: 0.5 }), placeOrder: async () => ({ exchangeOrderId: 'x' }) });
		const auth = await broker.authorize('s');
		expect(auth).toMatchObject({ allowed: false, reasonCode: 'backtest_failed_kpi' });
		expect(auth.allowed === false && auth.reason).toMatch(/win_rate 0.5/);
	});

	it('refuses without an exchange adapter even when everything else passes', async () => {
		const broker = createLiveBroker({ mode: 'LIVE', latestBacktestKpi: async () => PASSING });
		expect(await broker.authorize('s')).toMatchObject({ allowed: false, reasonCode: 'no_live_adapter' });
	});

	it('forwards to the adapter only in LIVE mode with a passing backtest', async () => {
		const placeOrder = vi.fn(async () => ({ exchangeOrderId: 'fake-1' }));
		const broker = createLiveBroker({ mode: 'LIVE', latestBacktestKpi: async () => PASSING, placeOrder });
		expect(await broker.place(order)).toEqual({ exchangeOrderId: 'fake-1' });
		expect(placeOrder).toHaveBeenCalledWith(order);
	});
});
