// The heartbeat end to end, all real processes: the shipped heartbeat workflows imported and
// published into a real n8n (each tested release in turn), running on n8n's own scheduler with
// their Schedule Triggers set to a few seconds in the imported copies and each cloned once (every
// tick starts two overlapping runs); the math service (compiled main.js) on a throw-away MariaDB
// database, in process locks on 2.8.4 and Redis on the current release; loopback fakes of Binance
// (real candles moved to now, some pairs on set paths from the start), Glassnode, CryptoPanic and
// Telegram. Each case waits for what the schedules put into the database and Telegram; the service
// API is called only to open the paper positions the risk monitor then manages.
import { Redis } from 'ioredis';
import { createConnection, type Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { N8N_CURRENT } from '../../scripts/n8n/ensureN8n.mjs';
import { N8N_TEST_VERSIONS } from '../support/n8nHarness';
import { postAlert, tvAlert } from './support/alerts';
import { DAY, GLASSNODE_DAYS, MINUTE, seedGlassnode, startHeartbeatStack, UNIVERSE, type HeartbeatStack } from './support/heartbeatStack';
import type { ServiceCall } from './support/startServiceRecorder';
import { serviceApi } from './support/pipelineStack';

const MARKET_DATA = 'hfqHbMarketData1';
const ONCHAIN_SENTIMENT = 'hfqHbOnchainSent';
const RISK_MONITOR = 'hfqHbRiskMonitr1';
const SIGNAL_SCAN = 'hfqHbSignalScan1';
/**
 * 1m paths from the start on (close × factor each minute): AVAX falls through a stop, NEAR rises to
 * a target, ARB stays flat (the time stop), SOL/BNB/POL crash (the daily-drawdown halt). OP's
 * hourly moves are raised to the 12th power: a daily VaR far over the budget.
 */
const PATHS = { AVAX: 0.99, NEAR: 1.01, ARB: 1, SOL: 0.92, BNB: 0.92, POL: 0.92 };
const VOLATILITY = { OP: 12 };
const SLOW = { timeout: 180_000 };
/** Each leased heartbeat job and the service path its node calls. */
const LEASED_JOBS: Record<string, string> = {
	market_data: '/v1/candles/sync',
	alpha_score: '/v1/alpha',
	risk_monitor: '/v1/positions/check',
	signal_scan: '/v1/scan',
	onchain: '/v1/onchain/observations',
	sentiment: '/v1/sentiment/posts',
};
/** The Schedule Triggers of each heartbeat workflow (each cloned once in the imported copy). */
const TRIGGERS: Record<string, string[]> = {
	[MARKET_DATA]: ['Every Minute (after close)'],
	[ONCHAIN_SENTIMENT]: ['Every Hour (Glassnode)', 'Every 5 Minutes (CryptoPanic)'],
	[RISK_MONITOR]: ['Every 10 Seconds'],
	[SIGNAL_SCAN]: ['Every Minute (after close)'],
};
/** Glassnode's revised value of yesterday's BTC SOPR in the overlap case. */
const REVISED_SOPR = 1.2345;

let stack: HeartbeatStack;

/** Polls an async check until it returns a value other than undefined/false. */
async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, { timeoutMs = 60_000, intervalMs = 1000, what = 'condition' } = {}): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** A CryptoPanic v2 post (the developer plan's shape) published `minutesAgo` minutes ago. */
function post(id: number, codes: string[], minutesAgo: number, votes: Record<string, number>) {
	const at = new Date(Date.now() - minutesAgo * MINUTE).toISOString().replace(/\.\d+Z$/, 'Z');
	return {
		id,
		slug: `post-${id}`,
		title: `Post ${id} about ${codes.join(', ')}`,
		description: '',
		published_at: at,
		created_at: at,
		kind: 'news',
		source: { title: 'Example', region: 'en', domain: 'example.com', type: 'feed' },
		original_url: `https://example.com/${id}`,
		url: `https://cryptopanic.com/news/${id}/post-${id}`,
		image: null,
		instruments: codes.map((code) => ({ code, title: code, slug: code.toLowerCase(), url: `https://cryptopanic.com/news/${code.toLowerCase()}/` })),
		votes: { negative: 0, positive: 0, important: 0, liked: 0, disliked: 0, lol: 0, toxic: 0, saved: 0, comments: 0, ...votes },
		panic_score: null,
		author: null,
	};
}

/** Per pair: the stored 1m bars' first and last open time and count. */
async function minuteBars() {
	const rows = await stack.storage.db
		.selectFrom('candles')
		.select((eb) => ['symbol', eb.fn.min('openTime').as('first'), eb.fn.max('openTime').as('last'), eb.fn.countAll().as('n')])
		.where('exchange', '=', 'binance')
		.where('timeframe', '=', '1m')
		.groupBy('symbol')
		.execute();
	return Object.fromEntries(rows.map((r) => [r.symbol, { first: Number(r.first), last: Number(r.last), n: Number(r.n) }]));
}

/** Every whitelisted pair has its 1m bars without a hole up to the minute before the last closed one. */
async function minutesComplete(): Promise<boolean> {
	const bars = await minuteBars();
	const lastClosedOpen = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
	return Object.keys(UNIVERSE).every((asset) => {
		const b = bars[`${asset}/USDT`];
		return b !== undefined && b.last >= lastClosedOpen - MINUTE && b.n === (b.last - b.first) / MINUTE + 1;
	});
}

/** The newest stored 1m close of a whitelisted asset (what an alert at this moment would quote). */
async function lastClose(asset: string): Promise<number> {
	const row = await stack.storage.db.selectFrom('candles').select('close').where('symbol', '=', `${asset}/USDT`).where('timeframe', '=', '1m').orderBy('openTime', 'desc').limit(1).executeTakeFirstOrThrow();
	return Number(row.close.toPrecision(8));
}

/** Answers (recorded between n8n and the service) of runs of `job` received since `sinceMs` that found the lease held. */
const skippedRuns = (job: string, sinceMs: number) => stack.serviceCalls.calls.filter((c) => c.receivedAt >= sinceMs && c.body?.run?.job === job && c.body.run.skipped === 'locked');

/** Two answers of one job under the same lease (market data: one lease per pair and timeframe). */
const sameLease = (a: ServiceCall, b: ServiceCall) => a.body.run.job !== 'market_data' || (a.body.symbol === b.body.symbol && a.body.timeframe === b.body.timeframe && a.body.exchange === b.body.exchange);

/** Whether a run received since `sinceMs` stored on-chain values (a revision). */
const onchainStoredSince = (sinceMs: number) => stack.serviceCalls.calls.some((c) => c.receivedAt >= sinceMs && c.path.startsWith('/v1/onchain/observations') && c.body?.ran === true && c.body.stored > 0);

const gate = (body: any, name: string) => (body.gates as any[]).find((g) => g.name === name);

/** Opens a paper position through the service's alert intake (a TradingView alert at the last close). */
async function openPosition(asset: string, o: { stopRatio: number; targetRatio: number; thresholds?: Record<string, unknown> }) {
	const alert = tvAlert(stack.secret, { asset, close: await lastClose(asset), stopRatio: o.stopRatio, targetRatio: o.targetRatio });
	const res = await serviceApi(stack, 'POST', '/v1/signals/tradingview', { ...alert, thresholds: o.thresholds ?? {} });
	expect(res.status, JSON.stringify(res.body)).toBe(200);
	expect(res.body.status, JSON.stringify(res.body)).toBe('approved');
	return { decisionId: res.body.decision_id as number, alert };
}

/** Texts of the plain messages the Telegram fake received (the risk monitor's events). */
const messages = () => stack.telegram.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.fields.text));

const countOf = async (table: 'onchainObservations' | 'newsPosts' | 'sentimentSnapshots' | 'alphaScores') =>
	Number((await stack.storage.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

/** Distinct (asset, metric, period) Glassnode values stored. */
async function onchainPeriods() {
	const rows = await stack.storage.db.selectFrom('onchainObservations').select(['asset', 'metric', 'periodStart']).distinct().execute();
	return rows.length;
}

/**
 * Locks `tables` (MariaDB LOCK TABLES) from a connection of the test's own, runs `andThen` on a
 * second connection (row locks), and waits until every job in `jobs` has a run answered "skipped:
 * locked" since `sinceMs`; then releases everything. On the Redis desk it also reads the risk
 * monitor's lease under this run's own key prefix while it is held.
 */
async function holdLeases(jobs: string[], tables: string, sinceMs: number, andThen?: (rows: Connection) => Promise<void>) {
	const tableLock = await createConnection({ uri: stack.databaseUrl });
	const rowLock = await createConnection({ uri: stack.databaseUrl });
	const skippedSoFar = () => JSON.stringify(Object.fromEntries(jobs.map((job) => [job, skippedRuns(job, sinceMs).length])));
	try {
		await tableLock.query(`LOCK TABLES ${tables}`);
		await andThen?.(rowLock);
		await until(() => (jobs.every((job) => skippedRuns(job, sinceMs).length > 0) ? true : undefined), { timeoutMs: 40_000, intervalMs: 250, what: `a skipped run of ${jobs.join(', ')}` }).catch((error: Error) => {
			throw new Error(`${error.message}; skipped runs per job so far: ${skippedSoFar()}`);
		});
		if (stack.redisUrl && jobs.includes('risk_monitor')) {
			const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
			try {
				expect(await redis.get(`${stack.redisKeyPrefix}lock:risk_monitor`)).toMatch(/^\S+ \d+ \S+$/);
			} finally {
				await redis.quit();
			}
		}
	} finally {
		await rowLock.query('ROLLBACK').catch(() => undefined);
		await tableLock.query('UNLOCK TABLES').catch(() => undefined);
		await tableLock.end();
		await rowLock.end();
	}
}

describe.each(N8N_TEST_VERSIONS)('the heartbeat on a real n8n %s: schedules → math service (MariaDB) ← Binance, Glassnode, CryptoPanic fakes', (version) => {
	beforeAll(async () => {
		stack = await startHeartbeatStack({
			n8nVersion: version,
			files: [
				'workflows/tradingview-signal.json',
				'workflows/heartbeat-market-data.json',
				'workflows/heartbeat-onchain-sentiment.json',
				'workflows/heartbeat-risk-monitor.json',
				'workflows/heartbeat-signal-scan.json',
			],
			// the scan of the test copy: BTC only, the alpha strategy with a threshold every score
			// reaches (its first recorded score counts as the crossing), so exactly one signal fires
			parameters: { 'Signal Scan': { symbols: 'BTC/USDT', vwapMeanReversion: false, alphaThresholdScore: 1 } },
			schedules: {
				'Every Minute (after close)': '*/10 * * * * *',
				'Every Hour (Glassnode)': '*/15 * * * * *',
				'Every 5 Minutes (CryptoPanic)': '*/15 * * * * *',
				'Every 10 Seconds': '*/5 * * * * *',
			},
			paths: PATHS,
			volatility: VOLATILITY,
			serviceEnv: version === N8N_CURRENT ? { REDIS_URL: 'redis://127.0.0.1:6379/11' } : {},
			log: process.env.HFQ_E2E_VERBOSE ? (line) => console.log(line) : undefined,
		});
		stack.cryptoPanic.setPosts('v2', [
			post(9001, ['BTC'], 30, { positive: 12, liked: 4, negative: 1 }),
			post(9002, ['ETH'], 90, { positive: 3, negative: 2 }),
			post(9003, ['BTC', 'ETH'], 200, { important: 5, positive: 6 }),
			post(9004, ['SOL'], 20, { negative: 4, disliked: 1 }),
			// ETH panics (its panic score > 70: the panic switch blocks its buys) while the market as a
			// whole, which stands in for pairs without news of their own, stays below 70
			post(9006, ['ETH'], 5, { negative: 30, toxic: 10 }),
			post(9007, ['BNB'], 10, { positive: 30 }),
		]);
		console.log(`[e2e] heartbeat up on n8n ${version}; timings ms ${JSON.stringify(stack.timings)}`);
	}, 600_000);

	afterAll(async () => {
		await stack?.stop();
	});

	afterEach((ctx) => {
		if (ctx.task.result?.state === 'fail' && stack) console.error(stack.diagnostics());
	});

	it('market data: the closed 1m candles of every whitelisted pair fill the database without a hole, and the daily candles the VaR gate reads', SLOW, async () => {
		await until(async () => (await minutesComplete()) || undefined, { timeoutMs: 120_000, intervalMs: 1000, what: 'complete 1m candles of every whitelisted pair' });
		const bars = await minuteBars();
		for (const asset of Object.keys(UNIVERSE)) expect(bars[`${asset}/USDT`]!.n, asset).toBeGreaterThanOrEqual(1000); // the first run backfills 1,000 bars
		// only closed bars: nothing at or after the minute now forming
		for (const b of Object.values(bars)) expect(b.last + MINUTE).toBeLessThanOrEqual(Date.now());
		const daily = await stack.storage.db
			.selectFrom('candles')
			.select((eb) => ['symbol', eb.fn.countAll().as('n'), eb.fn.max('openTime').as('last')])
			.where('timeframe', '=', '1d')
			.groupBy('symbol')
			.execute();
		expect(daily.map((d) => d.symbol).sort()).toEqual(Object.keys(UNIVERSE).map((a) => `${a}/USDT`).sort());
		for (const d of daily) {
			expect(Number(d.n), d.symbol).toBeGreaterThanOrEqual(365);
			expect(Number(d.last), d.symbol).toBe(Math.floor(Date.now() / DAY) * DAY - DAY); // yesterday: today's bar is not closed
		}
	});

	it('on-chain: Glassnode exchange netflow, SOPR and LTH-SOPR of BTC and ETH stored point in time (59 daily periods each)', SLOW, async () => {
		await until(async () => ((await onchainPeriods()) >= 2 * 3 * GLASSNODE_DAYS ? true : undefined), { timeoutMs: 90_000, intervalMs: 1000, what: 'Glassnode rows' });
		const rows = await stack.storage.db.selectFrom('onchainObservations').selectAll().execute();
		expect(new Set(rows.map((r) => `${r.asset} ${r.metric}`))).toEqual(new Set(['BTC exchange_netflow', 'BTC sopr', 'BTC lth_sopr', 'ETH exchange_netflow', 'ETH sopr', 'ETH lth_sopr']));
		for (const r of rows) {
			expect(r.resolution).toBe('24h');
			expect(r.learnedAt).toBeGreaterThan(r.periodStart); // learned after the period started, never before
			expect(r.source).toBe('glassnode');
		}
		expect(stack.glassnode.keysUsed().every((k) => k === 'hb-e2e-glassnode-key')).toBe(true);
	});

	it('sentiment: CryptoPanic posts stored and a sentiment and panic snapshot per currency and for the market', SLOW, async () => {
		await until(async () => ((await countOf('newsPosts')) >= 6 ? true : undefined), { timeoutMs: 90_000, intervalMs: 1000, what: 'CryptoPanic posts' });
		const snapshots = await stack.storage.db.selectFrom('sentimentSnapshots').selectAll().execute();
		const currencies = new Set(snapshots.map((s) => s.currency));
		for (const c of ['*', 'BTC', 'ETH', 'SOL']) expect(currencies.has(c), c).toBe(true);
		const btc = snapshots.filter((s) => s.currency === 'BTC').at(-1)!;
		expect(btc.postCount).toBe(2);
		expect(btc.sentimentScore!).toBeGreaterThan(50); // bullish votes dominate
		const market = snapshots.filter((s) => s.currency === '*').at(-1)!;
		expect(market.panicScore!).toBeLessThan(70);
		const sol = snapshots.filter((s) => s.currency === 'SOL').at(-1)!;
		expect(sol.panicScore!).toBeGreaterThan(0);
		expect(sol.sentimentScore!).toBeLessThan(50);
	});

	it('alpha: a recorded 0–100 score for every whitelisted pair, refreshed each run; BTC with its on-chain and sentiment components', SLOW, async () => {
		await until(
			async () => {
				const rows = await stack.storage.db.selectFrom('alphaScores').select('symbol').distinct().execute();
				const btc = await stack.storage.db.selectFrom('alphaScores').selectAll().where('symbol', '=', 'BTC/USDT').orderBy('id', 'desc').limit(1).executeTakeFirst();
				const parts = btc ? (JSON.parse(btc.componentsJson) as { missing: string[] }) : null;
				return rows.length >= Object.keys(UNIVERSE).length && parts && !parts.missing.includes('onchain') && !parts.missing.includes('sentiment') ? true : undefined;
			},
			{ timeoutMs: 90_000, intervalMs: 1000, what: 'alpha scores with on-chain and sentiment data' },
		);
		const latest = await stack.storage.db.selectFrom('alphaScores').selectAll().where('symbol', '=', 'BTC/USDT').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
		expect(latest.score).not.toBeNull();
		expect(latest.score!).toBeGreaterThanOrEqual(0);
		expect(latest.score!).toBeLessThanOrEqual(100);
		const composite = JSON.parse(latest.componentsJson) as { components: Record<string, { score: number | null }> };
		expect(composite.components.onchain?.score).not.toBeNull();
		expect(composite.components.sentiment?.score).not.toBeNull();
		// refreshed: a later run records again
		const before = await countOf('alphaScores');
		await until(async () => ((await countOf('alphaScores')) > before ? true : undefined), { timeoutMs: 60_000, intervalMs: 1000, what: 'another alpha refresh' });
	});

	it('signal scan: the alpha strategy\'s signal on BTC becomes one decision (approved, paper position) and one Telegram card, though every minute two scans run', SLOW, async () => {
		// the scan's alert id is Pine's for that bar, the alpha strategy's ending -alpha-long
		const decision = await until(
			async () => {
				const rows = await stack.storage.db.selectFrom('decisions').select(['id', 'status', 'alertId', 'symbol']).where('alertId', 'like', '%-alpha-long').execute();
				return rows.length > 0 ? rows : undefined;
			},
			{ timeoutMs: 120_000, what: 'a decision from the signal scan' },
		);
		expect(decision).toHaveLength(1);
		expect(decision[0]).toMatchObject({ status: 'approved', symbol: 'BTC/USDT' });
		expect(decision[0]!.alertId).toMatch(/^BINANCE:BTCUSDT-1-\d+-alpha-long$/);
		const card = await until(() => stack.telegram.calls.find((c) => (c.method === 'sendPhoto' || c.method === 'sendMessage') && String(c.fields.caption ?? c.fields.text).includes(`Decision <code>${decision[0]!.id}</code>`)), {
			timeoutMs: 30_000,
			what: 'the scan signal\'s card',
		});
		expect(String(card.fields.caption ?? card.fields.text)).toContain('BUY BTC/USDT');
		expect((await stack.storage.paperLedger.openPositions()).filter((p) => p.decisionId === decision[0]!.id)).toHaveLength(1);
		// later scans of the same and the next bars: no second decision, no second card
		await new Promise((r) => setTimeout(r, 12_000));
		const scans = stack.n8n.executions({ workflowId: SIGNAL_SCAN, limit: 100 });
		expect(scans.length).toBeGreaterThanOrEqual(4);
		expect(scans.filter((e) => e.status !== 'success').map((e) => e.error)).toEqual([]);
		const cards = stack.telegram.calls.filter((c) => String(c.fields.caption ?? c.fields.text).includes(`Decision <code>${decision[0]!.id}</code>`));
		expect(cards).toHaveLength(1);
		expect(await stack.storage.db.selectFrom('signals').select('id').where('alertId', 'like', '%-alpha-long').execute()).toHaveLength(1);
		expect(await stack.storage.db.selectFrom('decisions').select('id').where('alertId', 'like', '%-alpha-long').execute()).toHaveLength(1);
	});

	it('VaR budget: OP\'s daily candles (stored by the heartbeat) give a VaR far over the budget; the alert is rejected var_budget, and the shipped workflow shrinks it to the budget', SLOW, async () => {
		const close = await lastClose('OP');
		const api = await serviceApi(stack, 'POST', '/v1/signals/tradingview', { ...tvAlert(stack.secret, { asset: 'OP', close }), thresholds: { allow_resize: false } });
		expect(api.status, JSON.stringify(api.body)).toBe(200);
		expect(api.body).toMatchObject({ status: 'rejected', reason_code: 'var_budget' });
		const varGate = gate(api.body, 'varBudget');
		expect(varGate).toMatchObject({ passed: false, limit: 0.01 });
		expect(varGate.value).toBeGreaterThan(0.01);
		// through n8n: TradingView webhook → Signal Intake → Decide (allow resize on) → the size fits the budget
		const res = await postAlert(stack.signalWebhookUrl!, tvAlert(stack.secret, { asset: 'OP', close: await lastClose('OP') }));
		expect(res.status, res.text).toBe(200);
		const shrunk = gate(res.body, 'varBudget');
		expect(shrunk.value, JSON.stringify(res.body.gates)).not.toBeNull(); // the daily candles are there: the gate measured, not skipped
		expect(res.body.receipt.var.var_ratio).toBeGreaterThan(0.1); // OP's daily 95 % VaR
		expect(res.body.receipt.size.position_pct).toBeLessThan(100 / 24);
	});

	it('panic switch: ETH\'s news panic score (CryptoPanic, stored by the heartbeat) is beyond 70, so a buy alert through the shipped workflow is rejected', SLOW, async () => {
		await until(async () => {
			const s = await stack.storage.db.selectFrom('sentimentSnapshots').selectAll().where('currency', '=', 'ETH').orderBy('id', 'desc').limit(1).executeTakeFirst();
			return s && s.panicScore !== null && s.panicScore > 70 ? s : undefined;
		}, { what: 'a panicking ETH snapshot' });
		const calls = stack.telegram.calls.length;
		const res = await postAlert(stack.signalWebhookUrl!, tvAlert(stack.secret, { asset: 'ETH', close: await lastClose('ETH') }));
		expect(res.status, res.text).toBe(200);
		expect(res.body).toMatchObject({ status: 'rejected', reason_code: 'panic_switch' });
		const panic = gate(res.body, 'panicSwitch');
		expect(panic).toMatchObject({ passed: false, limit: 70 });
		expect(panic.value).toBeGreaterThan(70);
		expect((await stack.storage.paperLedger.openPositions()).map((p) => p.symbol)).not.toContain('ETH/USDT');
		await new Promise((r) => setTimeout(r, 2_000)); // the card step runs after the answer
		expect(stack.telegram.calls.slice(calls).filter((c) => /BUY ETH/.test(String(c.fields.caption ?? c.fields.text)))).toEqual([]);
	});

	it('risk monitor: one paper position closes by its stop, one by its target, one by its time stop — each once, each with its Telegram message', SLOW, async () => {
		const stop = await openPosition('AVAX', { stopRatio: 0.005, targetRatio: 0.01 });
		const target = await openPosition('NEAR', { stopRatio: 0.005, targetRatio: 0.01 });
		const timed = await openPosition('ARB', { stopRatio: 0.03, targetRatio: 0.05, thresholds: { time_stop_hours: 0.01 } });
		const closed = await until(
			async () => {
				const rows = await stack.storage.db.selectFrom('paperPositions').selectAll().where('decisionId', 'in', [stop.decisionId, target.decisionId, timed.decisionId]).execute();
				return rows.every((r) => r.status === 'closed') ? rows : undefined;
			},
			{ timeoutMs: 150_000, what: 'the three positions to close' },
		);
		const byDecision = (id: number) => closed.find((r) => r.decisionId === id)!;
		const s = byDecision(stop.decisionId);
		expect(s.exitReason).toBe('stop');
		expect(s.exitPrice!).toBeCloseTo(s.stopPrice! * (1 - 0.0002), 8); // at the stop less slippage, not at a later, lower price
		const t = byDecision(target.decisionId);
		expect(t.exitReason).toBe('target');
		expect(t.exitPrice!).toBeCloseTo(t.targetPrice!, 8); // at the target, not better
		const ts = byDecision(timed.decisionId);
		expect(ts.exitReason).toBe('time_stop');
		expect(ts.closedAt! - ts.openedAt).toBeGreaterThanOrEqual(36_000);
		// one message each, though every tick ran twice
		const texts = await until(() => {
			const m = messages();
			return ['STOP AVAX/USDT', 'TARGET NEAR/USDT', 'TIME STOP ARB/USDT'].every((h) => m.some((x) => x.includes(h))) ? m : undefined;
		}, { timeoutMs: 30_000, what: 'the three close messages' });
		await new Promise((r) => setTimeout(r, 6_000)); // a few more ticks
		for (const [headline, position] of [['🛑 STOP AVAX/USDT', s], ['🎯 TARGET NEAR/USDT', t], ['⏱ TIME STOP ARB/USDT', ts]] as const) {
			const sent = messages().filter((x) => x.startsWith(headline));
			expect(sent, headline).toHaveLength(1);
			expect(sent[0]).toContain(`position ${position.id}`);
		}
		expect(texts.length).toBeGreaterThanOrEqual(3);
		const trades = await stack.storage.db.selectFrom('tradeLog').selectAll().execute();
		expect(trades.filter((tr) => ['AVAX/USDT', 'NEAR/USDT', 'ARB/USDT'].includes(tr.symbol))).toHaveLength(3);
	});

	it('daily-drawdown halt: three full positions crash, the marked-to-market day passes −5 %, the risk monitor halts entries and says so once; the next alert is rejected halted', { timeout: 360_000 }, async () => {
		for (const asset of ['SOL', 'BNB', 'POL']) await openPosition(asset, { stopRatio: 0.5, targetRatio: 1, thresholds: { kelly_fraction: 1, max_heat_ratio: 0.5 } });
		const halt = await until(async () => (await stack.storage.riskState.get('halt_until')) ?? undefined, { timeoutMs: 280_000, what: 'the daily-drawdown halt' });
		expect(Number(halt.value)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
		const haltMessages = await until(() => {
			const m = messages().filter((x) => x.startsWith('⛔ DAILY DRAWDOWN HALT'));
			return m.length > 0 ? m : undefined;
		}, { timeoutMs: 30_000, what: 'the halt message' });
		expect(haltMessages[0]).toMatch(/−\d+\.\d+% since 00:00 UTC \(limit −5\.00%, marked to market\)/);
		await new Promise((r) => setTimeout(r, 6_000));
		expect(messages().filter((x) => x.startsWith('⛔ DAILY DRAWDOWN HALT'))).toHaveLength(1);
		const res = await postAlert(stack.signalWebhookUrl!, tvAlert(stack.secret, { asset: 'BTC', close: await lastClose('BTC') }));
		expect(res.body).toMatchObject({ status: 'rejected', reason_code: 'halted' });
	});

	it('every risk-monitor execution succeeded', () => {
		const runs = stack.n8n.executions({ workflowId: RISK_MONITOR, limit: 500 });
		expect(runs.length).toBeGreaterThan(10);
		expect(runs.filter((e) => e.status !== 'success').map((e) => ({ id: e.id, status: e.status, error: e.error }))).toEqual([]);
	});

	it('a 429 storm from Binance is survived: later runs catch up and the 1m candles are complete again', SLOW, async () => {
		const served = () => stack.binance.requests.filter((r) => r.path.endsWith('/klines')).length;
		const before = served();
		// every kline request of the next runs answers 429 (a run asks only for the bars closed since the last one)
		stack.binance.failNext('klines', 'rate_limited_429', { times: 12, retryAfter: 1 });
		await until(() => (served() >= before + 12 ? true : undefined), { timeoutMs: 150_000, intervalMs: 500, what: 'the 429 storm to be served' });
		const storm = Date.now();
		await until(async () => ((await minutesComplete()) && (await minuteBars())['BTC/USDT']!.last >= Math.floor(storm / MINUTE) * MINUTE - MINUTE ? true : undefined), {
			timeoutMs: 150_000,
			intervalMs: 1000,
			what: 'complete 1m candles after the storm',
		});
	});

	it('a 429 storm from Glassnode is survived (retried with backoff): every period is stored once, revisions fetched again are not duplicated', SLOW, async () => {
		const before = stack.glassnode.requests.length;
		stack.glassnode.failNext('rate_limited', 8);
		await until(() => (stack.glassnode.requests.length >= before + 14 ? true : undefined), { timeoutMs: 120_000, intervalMs: 500, what: 'Glassnode requests through the storm' });
		await until(async () => ((await onchainPeriods()) === 2 * 3 * GLASSNODE_DAYS ? true : undefined), { timeoutMs: 60_000, intervalMs: 1000, what: 'every Glassnode period' });
		// the same values fetched again are not stored again (point in time: a new row only for a revision)
		expect(await countOf('onchainObservations')).toBe(2 * 3 * GLASSNODE_DAYS);
	});

	it('a 429 storm from CryptoPanic is survived: new posts published after the storm are stored', SLOW, async () => {
		const before = stack.cryptoPanic.requests.length;
		stack.cryptoPanic.failNext('rate_limited', 8);
		await until(() => (stack.cryptoPanic.requests.length >= before + 9 ? true : undefined), { timeoutMs: 120_000, intervalMs: 500, what: 'CryptoPanic requests through the storm' });
		stack.cryptoPanic.setPosts('v2', [post(9005, ['BTC'], 1, { positive: 2 }), post(9001, ['BTC'], 30, { positive: 13, liked: 4, negative: 1 })]);
		await until(async () => ((await countOf('newsPosts')) >= 7 ? true : undefined), { timeoutMs: 90_000, intervalMs: 1000, what: 'the post published after the storm' });
		const posts = await stack.storage.db.selectFrom('newsPosts').selectAll().execute();
		expect(posts.map((p) => p.postId).sort()).toEqual(['9001', '9002', '9003', '9004', '9005', '9006', '9007']);
		expect(JSON.parse(posts.find((p) => p.postId === '9001')!.votesJson)).toMatchObject({ positive: 13 }); // votes refreshed in place
	});

	it('overlapping runs: while one run of each schedule holds its lease the other run of the same tick skips and says so, and every candle, on-chain value and post is stored once', { timeout: 240_000 }, async () => {
		// every tick started two runs: each Schedule Trigger and its clone fired executions
		const unfired = () =>
			Object.entries(TRIGGERS).flatMap(([workflowId, triggers]) => {
				const fired = new Set(stack.n8n.executions({ workflowId, limit: 400 }).flatMap((e) => Object.keys(e.nodes)));
				return triggers.flatMap((trigger) => [trigger, `${trigger} (overlap 2)`]).filter((t) => !fired.has(t)).map((t) => `${workflowId}: ${t}`);
			});
		await until(() => (unfired().length === 0 ? true : undefined), { timeoutMs: 90_000, what: 'executions started by every Schedule Trigger and its clone' }).catch((error: Error) => {
			throw new Error(`${error.message}; never fired: ${unfired().join(', ')}`);
		});
		// Hold every job inside its lease, whatever the timing: lock what a job reads or writes only
		// once it holds its lease, so a run that takes a lease keeps it until the locks go and the other
		// run of the same tick must find it held. First the alpha refresh, the scan (alpha scores), the
		// risk monitor (open positions) and sentiment (its snapshots), while every new on-chain row
		// waits on a row lock and Glassnode revises yesterday's BTC SOPR (the runs read freely, only
		// the revision's insert waits); then market data (candles, which everything above reads too, so
		// the alpha refresh after a sync is only reached while candles are free).
		const heldFrom = Date.now();
		await holdLeases(['alpha_score', 'signal_scan', 'risk_monitor', 'sentiment', 'onchain'], 'alpha_scores WRITE, paper_positions WRITE, sentiment_snapshots WRITE', heldFrom, async (rows) => {
			await rows.query('START TRANSACTION');
			await rows.query('SELECT id FROM onchain_observations FOR UPDATE');
			seedGlassnode(stack.glassnode, stack.glassnodeSeededAt, GLASSNODE_DAYS, REVISED_SOPR);
		});
		await holdLeases(['market_data'], 'candles WRITE', heldFrom);
		// each skipped run says why, and the run that held the lease acted: it started by the time the
		// lease was taken and was still working when the skipped run asked for it (the same job, and
		// for market data the same pair and timeframe)
		for (const [job, path] of Object.entries(LEASED_JOBS)) {
			for (const skipped of skippedRuns(job, heldFrom)) {
				expect(skipped.path.split('?')[0]).toBe(path);
				expect(skipped.body.ran).toBe(false);
				expect(skipped.body.run.reason).toMatch(new RegExp(`^previous ${job} run still working \\(lease held by \\S+ since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); skipped after waiting \\d+ ms$`));
				expect(skipped.body.run.held_by).toMatch(/^\S+:\d+:[0-9a-f]{8}$/);
				expect(skipped.body.run.held_since).toBeLessThanOrEqual(skipped.body.run.started_at);
				const holder = await until(
					() =>
						stack.serviceCalls.calls.find(
							(c) =>
								c.body?.run?.job === job &&
								c.body.run.ran === true &&
								sameLease(c, skipped) &&
								c.body.run.started_at <= skipped.body.run.held_since &&
								c.body.run.finished_at >= skipped.body.run.started_at,
						),
					{ timeoutMs: 60_000, intervalMs: 250, what: `the ${job} run that held the lease while ${skipped.path} skipped` },
				);
				expect(holder.body.run).toMatchObject({ ran: true, skipped: null, lock_lost: false });
			}
		}
		// one action each: the revised SOPR stored once more (one new version, though both runs of
		// the tick carried it), no candle twice, no post twice
		await until(() => (onchainStoredSince(heldFrom) ? true : undefined), { timeoutMs: 30_000, what: 'the revision to be stored' });
		const btcSopr = await stack.storage.db
			.selectFrom('onchainObservations')
			.select(['value', 'learnedAt'])
			.where('asset', '=', 'BTC')
			.where('metric', '=', 'sopr')
			.where('periodStart', '=', Math.floor(stack.glassnodeSeededAt / DAY) * DAY - DAY)
			.orderBy('learnedAt')
			.execute();
		expect(btcSopr.map((r) => r.value)).toEqual([expect.any(Number), REVISED_SOPR]);
		expect(await countOf('onchainObservations')).toBe((await onchainPeriods()) + 1);
		const duplicates = await stack.storage.db
			.selectFrom('candles')
			.select((eb) => ['symbol', 'timeframe', 'openTime', eb.fn.countAll().as('n')])
			.groupBy(['exchange', 'symbol', 'timeframe', 'openTime'])
			.having((eb) => eb.fn.countAll(), '>', 1)
			.execute();
		expect(duplicates).toEqual([]);
		const posts = await stack.storage.db.selectFrom('newsPosts').select('postId').execute();
		expect(new Set(posts.map((p) => p.postId)).size).toBe(posts.length);
		// and the desk went on: every job ran again after the locks went
		const after = Date.now();
		await until(() => (Object.keys(LEASED_JOBS).every((job) => stack.serviceCalls.calls.some((c) => c.receivedAt > after && c.body?.run?.job === job && c.body.run.ran === true)) ? true : undefined), {
			timeoutMs: 60_000,
			intervalMs: 500,
			what: 'every job to run again',
		});
	});
});
