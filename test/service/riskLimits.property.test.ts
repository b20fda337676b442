// Property: over ≥ 10,000 random alert sequences (fast-check, fixed seed) through the real pipeline
// (receiveTradingViewAlert → decide → paper broker, checkPositions) on an in-memory SQLite, no
// approved entry ever leaves the book above a limit: per asset ≤ max_position_ratio, heat ≤
// max_heat_ratio (both measured after the fill, fees paid, marks at the latest stored close), and
// nothing is approved while a drawdown halt is active or once the day's drawdown reached the limit.
// Sequences are short (1–3 events) but start from random thresholds and may begin with positions
// already on the book, so the limits bind often; the database is emptied between sequences.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../math-service/src/appDeps';
import { loadConfig } from '../../math-service/src/config';
import { checkPositions } from '../../math-service/src/pipeline/checkPositions';
import { pipelineFor, type Pipeline } from '../../math-service/src/pipeline/createPipeline';
import { receiveTradingViewAlert } from '../../math-service/src/pipeline/receiveTradingViewAlert';
import { resolveThresholds } from '../../math-service/src/pipeline/thresholds';
import { openStorage, type Storage } from '../../math-service/src/storage/openStorage';
import { SECRET, T0 } from './serviceHarness';

const SEED = 424_242;
const RUNS = Number(process.env.HFQ_PROP_RUNS ?? 10_000);
const ASSETS = ['BTC', 'ETH', 'SOL', 'AVAX'] as const;
const TABLES = ['callback_events', 'paper_fills', 'paper_orders', 'paper_positions', 'paper_cash', 'trade_log', 'decisions', 'signals', 'risk_state', 'equity_snapshots', 'candles'];
const EPS = 1e-9;

let storage: Storage;
let p: Pipeline;
const clock = { ms: T0, now() { return this.ms; } };

beforeAll(async () => {
	storage = await openStorage('sqlite::memory:');
	const deps = { config: loadConfig({}), storage, clock, pipeline: { webhookSecret: SECRET, ollamaHost: null, paperInitialCash: 10_000, ipAllowlist: null } };
	p = pipelineFor(deps as AppDeps);
});
afterAll(async () => {
	await storage?.close();
});

/** The book as the test reads it straight from the tables (independent of the pipeline's reader). */
async function book(nowMs: number) {
	const db = storage.db;
	const cash = Number((await db.selectFrom('paperCash').select((eb) => eb.fn.sum<number>('amount').as('c')).executeTakeFirstOrThrow()).c ?? 0);
	const rows = await db.selectFrom('paperPositions').selectAll().where('status', '=', 'open').execute();
	const positions = [];
	for (const r of rows) {
		const candle = await db.selectFrom('candles').select('close').where('symbol', '=', r.symbol).orderBy('openTime', 'desc').limit(1).executeTakeFirst();
		positions.push({ ...r, mark: candle?.close ?? r.entryPrice });
	}
	const equity = cash + positions.reduce((sum, x) => sum + x.quantity * x.mark, 0);
	const halt = await storage.riskState.get('halt_until');
	const dayStart = await storage.riskState.get(`day_start_equity:${new Date(nowMs).toISOString().slice(0, 10)}`);
	return {
		cash,
		equity,
		positions,
		haltActive: halt !== null && Number(halt.value) > nowMs,
		// Before the first reading of a day, the day starts at the last snapshot at or before midnight.
		drawdown: equity / (dayStart === null ? await midnightEquity(nowMs) : Number(dayStart.value)) - 1,
	};
}

async function midnightEquity(nowMs: number): Promise<number> {
	const midnight = Math.floor(nowMs / 86_400_000) * 86_400_000;
	const row = await storage.db.selectFrom('equitySnapshots').select('equity').where('takenAt', '<=', midnight).orderBy('takenAt', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
	return row?.equity ?? Number.NaN;
}

async function reset() {
	for (const table of TABLES) await sql`delete from ${sql.table(table)}`.execute(storage.db.withoutPlugins());
	clock.ms = T0;
}

const thresholdsArb = fc.record({
	kelly_fraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
	max_position_ratio: fc.double({ min: 0.02, max: 0.3, noNaN: true }),
	max_heat_ratio: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
	max_daily_drawdown_ratio: fc.integer({ min: 1, max: 10 }).map((x) => x / 100),
	fee_ratio: fc.constantFrom(0, 0.001, 0.005),
	allow_resize: fc.boolean(),
	heat_basis: fc.constantFrom('exposure' as const, 'risk_to_stop' as const),
	kelly_prior: fc.record({ win_rate: fc.integer({ min: 35, max: 90 }).map((x) => x / 100), avg_win: fc.constant(0.03), avg_loss: fc.constant(0.02) }),
});

const asset = fc.constantFrom(...ASSETS);
type Event =
	| { kind: 'alert'; asset: string; entry: number; stopRatio: number; rr: number; lagS: number }
	| { kind: 'price'; asset: string; moveRatio: number }
	| { kind: 'loss'; ratio: number }
	| { kind: 'advance'; hours: number }
	| { kind: 'check' };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
	{ weight: 5, arbitrary: fc.record({ kind: fc.constant('alert' as const), asset, entry: fc.double({ min: 1, max: 1000, noNaN: true }), stopRatio: fc.double({ min: 0.002, max: 0.3, noNaN: true }), rr: fc.double({ min: 0.5, max: 5, noNaN: true }), lagS: fc.integer({ min: 0, max: 90 }) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('price' as const), asset, moveRatio: fc.double({ min: -0.5, max: 0.5, noNaN: true }) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('loss' as const), ratio: fc.integer({ min: 0, max: 100 }).map((x) => x / 1000) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.double({ min: 0, max: 30, noNaN: true }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('check' as const) }) },
);

const preexistingArb = fc.array(fc.record({ asset, ratio: fc.double({ min: 0.01, max: 0.25, noNaN: true }) }), { maxLength: 3 });

const lastPrice = new Map<string, number>();
let n = 0;

async function setPrice(symbol: string, price: number) {
	lastPrice.set(symbol, price);
	await storage.candles.upsertMany([{ exchange: 'test', symbol, timeframe: '1h', openTime: clock.ms, open: price, high: price, low: price, close: price, volume: 1 }]);
}

describe('risk limits hold over random alert sequences', () => {
	it(`never breaks per-asset, heat or halt limits over ${RUNS} sequences`, async () => {
		let approvals = 0;
		let rejectionsByCode = new Map<string, number>();
		await fc.assert(
			fc.asyncProperty(thresholdsArb, preexistingArb, fc.array(eventArb, { minLength: 1, maxLength: 3 }), async (thresholds, preexisting, events) => {
				// Let vitest's worker RPC run: better-sqlite3 is synchronous, so the loop would otherwise only ever yield microtasks.
				await new Promise((resolve) => setImmediate(resolve));
				await reset();
				lastPrice.clear();
				const t = resolveThresholds(thresholds);
				// The account held 10,000 at midnight: today's drawdown is measured from there.
				await storage.paperLedger.ensureInitialDeposit(10_000, clock.ms - 13 * 3_600_000);
				await storage.equitySnapshots.record({ takenAt: Math.floor(clock.ms / 86_400_000) * 86_400_000, equity: 10_000 });
				for (const pre of preexisting) {
					await storage.paperLedger.openPosition({ strategy: t.strategy, symbol: `${pre.asset}/USDT`, quantity: (10_000 * pre.ratio) / 100, price: 100, openedAt: clock.ms, decisionId: null, stopPrice: 90, targetPrice: 120 }).catch(() => undefined);
					await setPrice(`${pre.asset}/USDT`, 100);
				}
				for (const e of events) {
					if (e.kind === 'advance') clock.ms += Math.round(e.hours * 3_600_000);
					else if (e.kind === 'loss') await storage.paperLedger.recordCash({ amount: -10_000 * e.ratio, reason: 'adjustment', ref: `loss-${n++}`, createdAt: clock.ms });
					else if (e.kind === 'price') {
						const symbol = `${e.asset}/USDT`;
						await setPrice(symbol, (lastPrice.get(symbol) ?? 100) * (1 + e.moveRatio));
					} else if (e.kind === 'check') await checkPositions(p, { thresholds: t });
					else {
						const symbol = `${e.asset}/USDT`;
						const entry = lastPrice.get(symbol) ?? e.entry;
						const stop = entry * (1 - e.stopRatio);
						const before = await book(clock.ms);
						const haltActive = before.haltActive;
						const drawdown = before.drawdown;
						const alert = { secret: SECRET, alert_id: `prop-${n++}`, action: 'buy', ticker: `${e.asset}USDT`, time: clock.ms - e.lagS * 1000, close: entry, stop, target: entry + e.rr * (entry - stop), thresholds };
						const r = await receiveTradingViewAlert(p, { rawBody: JSON.stringify(alert), contentType: 'application/json' });
						if (r.kind !== 'decided') throw new Error('unexpected 401');
						const res = r.response;
						if (res.status !== 'approved') {
							rejectionsByCode.set(res.reason_code, (rejectionsByCode.get(res.reason_code) ?? 0) + 1);
							expect((await storage.paperLedger.openPositions()).filter((x) => x.decisionId === res.decision_id)).toEqual([]);
							continue;
						}
						approvals++;
						expect(haltActive, 'approved while halted').toBe(false);
						expect(drawdown, 'approved at or below the daily drawdown limit').toBeGreaterThan(-t.maxDailyDrawdownRatio);
						expect(e.rr).toBeGreaterThanOrEqual(t.minRewardRisk * (1 - 1e-6));
						const after = await book(clock.ms);
						const opened = after.positions.filter((x) => x.decisionId === res.decision_id);
						expect(opened).toHaveLength(1);
						expect(opened[0]!.quantity).toBeGreaterThan(0);
						const assetExposure = after.positions.filter((x) => x.symbol === symbol).reduce((sum, x) => sum + x.quantity * x.mark, 0);
						expect(assetExposure / after.equity, 'per-asset limit').toBeLessThanOrEqual(t.maxPositionRatio * (1 + EPS) + EPS);
						const heat = after.positions.reduce((sum, x) => sum + x.quantity * (t.heatBasis === 'exposure' ? x.mark : Math.max(0, x.mark - (x.stopPrice ?? 0))), 0);
						expect(heat / after.equity, 'heat limit').toBeLessThanOrEqual(t.maxHeatRatio * (1 + EPS) + EPS);
						expect(after.cash).toBeGreaterThanOrEqual(-1e-6);
					}
				}
			}),
			{ numRuns: RUNS, seed: SEED, endOnFailure: true },
		);
		if (process.env.HFQ_PROP_DEBUG) console.log(approvals, [...rejectionsByCode]);
		// The sequences exercise both outcomes and the limits themselves, not only trivial rejections.
		expect(approvals).toBeGreaterThan(RUNS / 10);
		for (const code of ['halted', 'daily_drawdown_halt', 'max_position_per_asset', 'portfolio_heat', 'reward_risk_below_min', 'stale']) {
			expect(rejectionsByCode.get(code) ?? 0, code).toBeGreaterThan(0);
		}
		rejectionsByCode = new Map();
	}, 900_000);
});
