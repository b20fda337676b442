// The operator's desk on the service endpoints, on SQLite and on a throw-away MariaDB database:
// the kill switch (GET /v1/desk, POST /v1/desk/halt | resume | close) and the Telegram commands
// (POST /v1/operator/command). A halt refuses the next alert with operator_halt on its receipt;
// flatten closes every open paper position at the latest price less 2 bps and writes the trade
// log; a command from a chat that is not the operator's changes nothing, gets no reply and is logged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alert, counts, post, startService, type DatabaseKind, type ServiceHarness } from './serviceHarness';

const TV = '/v1/signals/tradingview';
const OPERATOR = '123456789';
const SLIP = 0.0002;

describe.each<DatabaseKind>(['sqlite-memory', 'mysql'])('the operator desk on %s', (db) => {
	let h: ServiceHarness;
	beforeEach(async () => {
		h = await startService({ db, settings: { operatorChatIds: [OPERATOR] } });
	});
	afterEach(async () => {
		await h?.close();
	});

	const send = async (path: string, body?: unknown) => {
		const res = body === undefined ? await h.app.request(path, { method: 'POST' }) : await post(h.app, path, body);
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
	const get = async (path: string) => {
		const res = await h.app.request(path);
		return { status: res.status, body: (await res.json()) as Record<string, any> };
	};
	const command = (text: string, chatId: string | number = OPERATOR, extra: Record<string, unknown> = {}) =>
		send('/v1/operator/command', { chat_id: chatId, text, user: '@desk', ...extra });
	const candle = (symbol: string, close: number, openTime = h.clock.ms - 60_000) =>
		h.storage.candles.upsertMany([{ exchange: 'binance', symbol, timeframe: '1m', openTime, open: close, high: close, low: close, close, volume: 1 }]);
	const buy = (ticker: string, close: number) => send(TV, alert({ ticker, close, stop: close * 0.97, target: close * 1.06 }, h.clock.ms));

	it('GET /v1/desk: trading, no positions, today’s P&L from the paper account', async () => {
		const { status, body } = await get('/v1/desk');
		expect(status).toBe(200);
		expect(body).toMatchObject({ mode: 'PAPER', halted: false, halted_since: null, halted_by: null, open_positions: [] });
		expect(body.pnl_today).toMatchObject({ realized: 0, trades_closed: 0, unrealized: 0, equity: 10_000, day_start_equity: 10_000, equity_change: 0 });
		// Halt and resume need no body (by: "api"); a malformed one is refused.
		expect((await send('/v1/desk/halt')).body).toMatchObject({ halted: true, changed: true, halted_by: 'api', flatten: null });
		expect((await send('/v1/desk/resume')).body).toEqual({ halted: false, changed: true });
		expect((await send('/v1/desk/halt', { flatten: 'yes' })).status).toBe(422);
		expect((await get('/v1/desk')).body.halted).toBe(false);
	});

	it('halt refuses the next alert with operator_halt, survives in the database, and resume lets entries through again', async () => {
		const halted = await send('/v1/desk/halt', { by: 'risk-desk', reason: 'news' });
		expect(halted.status).toBe(200);
		expect(halted.body).toMatchObject({ halted: true, changed: true, halted_by: 'risk-desk', reason: 'news', flatten: null });
		const again = await send('/v1/desk/halt', { by: 'someone-else' });
		expect(again.body).toMatchObject({ changed: false, halted_by: 'risk-desk' });

		const refused = await send(TV, alert({}, h.clock.ms));
		expect(refused.body).toMatchObject({ status: 'rejected', reason_code: 'operator_halt' });
		const gates = refused.body.gates as { name: string; passed: boolean }[];
		expect(gates.map((g) => g.name).indexOf('operatorHalt')).toBe(gates.map((g) => g.name).indexOf('dailyDrawdownHalt') + 1);
		expect(gates.find((g) => g.name === 'operatorHalt')).toMatchObject({ passed: false });
		expect(await counts(h.storage)).toMatchObject({ positions: 0 });
		expect((await get('/v1/desk')).body).toMatchObject({ halted: true, halted_by: 'risk-desk', halted_since: new Date(h.clock.ms).toISOString() });

		expect((await send('/v1/desk/resume', { by: 'risk-desk' })).body).toEqual({ halted: false, changed: true });
		const approved = await send(TV, alert({}, h.clock.ms));
		expect(approved.body).toMatchObject({ status: 'approved' });
		const events = await h.storage.desk.events();
		expect(events.map((e) => [e.action, e.actor])).toEqual([['halt', 'risk-desk'], ['halt', 'someone-else'], ['resume', 'risk-desk']]);
	});

	it('halt with flatten closes every open paper position at the latest price less slippage, position by position, and logs the trades', async () => {
		await candle('BTC/USDT', 100);
		await buy('BTCUSDT', 100);
		await buy('ETHUSDT', 50);
		await buy('SOLUSDT', 20);
		expect(await counts(h.storage)).toMatchObject({ positions: 3, trades: 0 });
		await candle('BTC/USDT', 104);
		await candle('ETH/USDT', 49);
		h.clock.ms += 60_000;
		const out = await send('/v1/desk/halt', { flatten: true, prices: { 'SOL/USDT': 21 } });
		expect(out.status).toBe(200);
		const closed = out.body.flatten.closed as Record<string, any>[];
		expect(closed.map((c) => [c.symbol, c.price_source, c.exit_reason])).toEqual([
			['BTC/USDT', 'candle', 'operator_flatten'],
			['ETH/USDT', 'candle', 'operator_flatten'],
			['SOL/USDT', 'request', 'operator_flatten'],
		]);
		const btc = closed[0]!;
		expect(btc.exit_price).toBeCloseTo(104 * (1 - SLIP), 12);
		// pnl = (exit − entry) × q − entry fee − exit fee (0.1 % each side)
		expect(btc.pnl).toBeCloseTo((btc.exit_price - 100) * btc.quantity - 0.001 * 100 * btc.quantity - 0.001 * btc.exit_price * btc.quantity, 9);
		expect(out.body.flatten.skipped).toEqual([]);
		const trades = await h.storage.tradeLog.closedBetween(0, h.clock.ms + 1);
		expect(trades.map((t) => [t.symbol, t.exitReason])).toEqual(closed.map((c) => [c.symbol, 'operator_flatten']));
		expect(await h.storage.paperLedger.openPositions()).toEqual([]);
		const desk = (await get('/v1/desk')).body;
		expect(desk).toMatchObject({ halted: true, open_positions: [] });
		expect(desk.pnl_today.trades_closed).toBe(3);
		expect(desk.pnl_today.realized).toBeCloseTo(closed.reduce((s, c) => s + c.pnl, 0), 9);
	});

	it('close one symbol: matches BTC, BTCUSDT or BTC/USDT; a position with no price is left open and said so', async () => {
		await buy('BTCUSDT', 100);
		await buy('ETHUSDT', 50);
		const noPrice = await send('/v1/desk/close', { symbol: 'BTC' });
		expect(noPrice.body).toMatchObject({ closed: [], skipped: [{ symbol: 'BTC/USDT', reason: expect.stringContaining('no price') }] });
		const closed = await send('/v1/desk/close', { symbol: 'btcusdt', prices: { 'BTC/USDT': 101 } });
		expect(closed.body.closed).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', exit_reason: 'operator_close', exit_price: 101 * (1 - SLIP) })]);
		expect((await h.storage.paperLedger.openPositions()).map((p) => p.symbol)).toEqual(['ETH/USDT']);
		expect((await send('/v1/desk/close', { symbol: 'BTC/USDT' })).body).toMatchObject({ closed: [], skipped: [] });
		expect((await send('/v1/desk/close', { symbol: '<script>' })).status).toBe(422);
		expect((await send('/v1/desk/close', { symbol: 'all', prices: { 'ETH/USDT': 50 } })).body.closed.map((c: { symbol: string }) => c.symbol)).toEqual(['ETH/USDT']);
		expect((await get('/v1/desk')).body.halted).toBe(false);
	});

	it('/halt from the operator chat blocks the next alert; /resume lifts it; /status, /pnl, /positions and /help answer', async () => {
		await buy('BTCUSDT', 100);
		const halt = await command('/halt');
		expect(halt.body).toMatchObject({ accepted: true, command: 'halt', refused: null });
		expect(halt.body.reply).toContain('Desk halted by telegram:123456789/@desk');
		expect((await send(TV, alert({ ticker: 'ETHUSDT' }, h.clock.ms))).body).toMatchObject({ status: 'rejected', reason_code: 'operator_halt' });
		expect((await command('/status')).body.reply).toMatch(/PAPER · ⛔ HALTED since .* by telegram:123456789\/@desk[\s\S]*Open positions: 1 \(BTC\/USDT\)/);
		expect((await command('/pnl')).body.reply).toMatch(/^P&L \d{4}-\d\d-\d\d \(UTC\)\nRealised: \+0\.00 from 0 closed trades/);
		expect((await command('/positions')).body.reply).toMatch(/^Open positions \(1\):\n#\d+ BTC\/USDT/);
		expect((await command('/help')).body.reply).toContain('/halt flatten');
		expect((await command('/resume')).body.reply).toContain('Desk resumed');
		expect((await send(TV, alert({ ticker: 'ETHUSDT' }, h.clock.ms))).body).toMatchObject({ status: 'approved' });
		expect((await command('/buy BTC')).body).toMatchObject({ accepted: true, refused: 'unknown_command', reply: 'unknown command /buy. /help lists the commands.' });
		expect((await command('hello there')).body).toMatchObject({ accepted: true, reply: null, refused: 'not_a_command' });
	});

	it('/halt flatten closes every open paper position; /close SYMBOL closes one', async () => {
		await buy('BTCUSDT', 100);
		await buy('ETHUSDT', 50);
		await buy('SOLUSDT', 20);
		const one = await command('/close eth', OPERATOR, { prices: { 'ETH/USDT': 51 } });
		expect(one.body.reply).toMatch(/^Closed #\d+ ETH\/USDT .* @ 50\.9898/);
		const flat = await command('/halt flatten', OPERATOR, { prices: { 'BTC/USDT': 99, 'SOL/USDT': 20 } });
		expect(flat.body.outcome.flatten.closed.map((c: { symbol: string }) => c.symbol)).toEqual(['BTC/USDT', 'SOL/USDT']);
		expect(flat.body.reply).toMatch(/Flatten:\nClosed #\d+ BTC\/USDT[^\n]*\nClosed #\d+ SOL\/USDT/);
		expect(await h.storage.paperLedger.openPositions()).toEqual([]);
		expect(await counts(h.storage)).toMatchObject({ trades: 3 });
	});

	it('daily report: the day’s P&L, open positions, gate hits by gate, the equity curve and its PNG', async () => {
		await buy('BTCUSDT', 100);
		await buy('ETHUSDT', 50);
		h.clock.ms += 60_000;
		await command('/close BTC', OPERATOR, { prices: { 'BTC/USDT': 110 } });
		await command('/halt');
		await send(TV, alert({ ticker: 'SOLUSDT' }, h.clock.ms));
		await send(TV, alert({ ticker: 'SOLUSDT', target: 101 }, h.clock.ms));
		const { status, body } = await get('/v1/reports/daily');
		expect(status).toBe(200);
		const trades = await h.storage.tradeLog.closedBetween(0, h.clock.ms + 1);
		expect(body.pnl).toMatchObject({ trades_closed: 1, wins: 1, losses: 0, equity_start: 10_000 });
		expect(body.pnl.realized).toBeCloseTo(trades[0]!.pnl, 9);
		expect(body.open_positions.map((x: { symbol: string }) => x.symbol)).toEqual(['ETH/USDT']);
		expect(body.gate_hits).toMatchObject({ decisions: 4, approved: 2, rejected: 2, by_gate: { operatorHalt: 2, minRewardRisk: 1 }, by_reason: { operator_halt: 2 } });
		expect(body.equity_curve.length).toBeGreaterThanOrEqual(2);
		expect(body.equity_curve[0]).toEqual({ at: body.from, equity: 10_000 });
		expect(body.operator_actions.map((a: { action: string }) => a.action)).toEqual(['close', 'halt']);
		expect(body.text).toContain('Gate hits: operatorHalt 2, minRewardRisk 1');
		expect(body.text).toMatch(/Realised \+[\d.]+ from 1 trade \(1 won, 0 lost\)/);
		const png = await h.app.request('/v1/reports/daily/equity.png');
		expect(png.status).toBe(200);
		expect(png.headers.get('content-type')).toBe('image/png');
		const bytes = Buffer.from(await png.arrayBuffer());
		expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([900, 420]);
		expect((await get('/v1/reports/daily?date=2026-01-14')).body).toMatchObject({ date: '2026-01-14', open_positions: null, pnl: { trades_closed: 0 } });
		expect((await get('/v1/reports/daily?date=2099-01-01')).status).toBe(422);
		expect((await get('/v1/reports/daily?date=yesterday')).status).toBe(422);
	});

	it('a command from an unknown chat changes nothing, gets no reply, and is recorded as refused', async () => {
		await buy('BTCUSDT', 100);
		const before = await counts(h.storage);
		for (const text of ['/halt flatten', '/close BTC', '/status']) {
			const res = await command(text, 987654321, { prices: { 'BTC/USDT': 90 } });
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ accepted: false, reply: null, command: null, refused: 'chat_not_allowed', outcome: null });
		}
		expect((await get('/v1/desk')).body.halted).toBe(false);
		expect(await counts(h.storage)).toEqual(before);
		expect((await h.storage.paperLedger.openPositions()).length).toBe(1);
		const refused = await h.storage.desk.events({ action: 'command_refused' });
		expect(refused).toHaveLength(3);
		expect(JSON.parse(refused[0]!.detailJson)).toMatchObject({ chat_id: '987654321', user: '@desk', text: '/halt flatten' });
		// The credential's Operator Chat IDs (sent by the node) admit a chat the environment does not list.
		expect((await command('/status', 555, { operator_chat_ids: ['555'] })).body.accepted).toBe(true);
		expect((await send('/v1/operator/command', { chat_id: 'x', text: '/halt' })).status).toBe(422);
	});
});
