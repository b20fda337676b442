import { describe, expect, it } from 'vitest';
import { METRIC_DEFINITIONS } from '../core/metrics/metricDefinitions';
import { returnMetrics } from '../core/metrics/returnMetrics';
import { tradeMetrics } from '../core/metrics/tradeMetrics';
import { RETURN_METRIC_NAMES, TRADE_METRIC_NAMES } from './metrics';
import { testApp } from './testApp';

const { app, post } = testApp();
const returns = [0.01, -0.02, 0.015, 0.003, -0.007, 0.02, -0.012];
const trades = [{ pnl: 120 }, { pnl: -80 }, { pnl: 0 }, { pnl: 45.5 }, { pnl: -30 }];
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeKeys = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), v]));

describe('POST /v1/metrics', () => {
	it('returns every return metric of the core, snake_case, and null trade metrics', async () => {
		const { status, body } = await post('/v1/metrics', { returns, periods_per_year: 365 });
		expect(status).toBe(200);
		expect(body.return_metrics).toEqual(snakeKeys(returnMetrics(returns, 365)));
		expect(body.trade_metrics).toBeNull();
	});

	it('returns every trade metric of the core from trades, ignoring extra trade fields', async () => {
		const { body } = await post('/v1/metrics', { trades: trades.map((t) => ({ ...t, symbol: 'BTC' })) });
		expect(body.trade_metrics).toEqual(snakeKeys(tradeMetrics(trades)));
		expect(body.trade_metrics).toMatchObject({ trade_count: 5, win_count: 2, loss_count: 2, breakeven_count: 1 });
		expect(body.return_metrics).toBeNull();
	});

	it('returns both when both are sent', async () => {
		const { body } = await post('/v1/metrics', { returns, periods_per_year: 8760, trades });
		expect(body.return_metrics).toEqual(snakeKeys(returnMetrics(returns, 8760)));
		expect(body.trade_metrics).toEqual(snakeKeys(tradeMetrics(trades)));
	});

	it('reports undefined metrics as null: zero variance gives a null Sharpe ratio, not a sentinel', async () => {
		const { body } = await post('/v1/metrics', { returns: [0.01, 0.01, 0.01], periods_per_year: 365 });
		expect((body.return_metrics as Record<string, unknown>).sharpe_ratio).toBeNull();
	});

	it('answers 422 missing periods_per_year when returns come without it', async () => {
		const { status, body } = await post('/v1/metrics', { returns });
		expect(status).toBe(422);
		expect(body.detail).toEqual([{ type: 'missing', loc: ['body', 'periods_per_year'], msg: 'Field required', input: { returns } }]);
	});

	it('answers 422 value_error when neither returns nor trades are sent', async () => {
		const { status, body } = await post('/v1/metrics', {});
		expect(status).toBe(422);
		expect(body.detail![0]).toMatchObject({ type: 'value_error', loc: ['body'] });
	});

	it('answers 422 for a trade without a numeric pnl, at its index', async () => {
		const { status, body } = await post('/v1/metrics', { trades: [{ pnl: 1 }, { pnl: 'lots' }] });
		expect(status).toBe(422);
		expect(body.detail![0]).toMatchObject({ type: 'float_parsing', loc: ['body', 'trades', 1, 'pnl'] });
	});
});

describe('metric schema', () => {
	it('lists exactly the metrics the core returns', () => {
		expect([...RETURN_METRIC_NAMES].sort()).toEqual(Object.keys(returnMetrics(returns, 365)).map(snake).sort());
		expect([...TRADE_METRIC_NAMES].sort()).toEqual(Object.keys(tradeMetrics(trades)).map(snake).sort());
	});

	it('documents every metric with its definition in the OpenAPI document', async () => {
		const doc = await (await app.request('/openapi.json')).json();
		for (const [schema, names] of [
			['ReturnMetrics', RETURN_METRIC_NAMES],
			['TradeMetrics', TRADE_METRIC_NAMES],
		] as const) {
			for (const name of names) {
				expect(doc.components.schemas[schema].properties[name].description, name).toBe(METRIC_DEFINITIONS[name]);
			}
		}
		for (const name of ['var', 'cvar']) expect(doc.components.schemas.VarResponse.properties[name].description).toBe(METRIC_DEFINITIONS[name]);
		for (const name of ['kelly_fraction', 'fractional_kelly', 'position_pct']) {
			expect(doc.components.schemas.KellyResponse.properties[name].description).toBe(METRIC_DEFINITIONS[name]);
		}
	});
});
