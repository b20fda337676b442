// The cold-wallet sweep end to end in process: `npm run sweep-wallet`'s main function with the real
// ccxt Binance client against a loopback fake of Binance's signed wallet endpoints (HMAC-SHA256
// signatures, API key header and timestamps checked as Binance documents them) and a fake Telegram.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBinanceWallet, type FakeBinanceWallet } from '../../../test/fakes/fakeBinanceWallet';
import { startFakeTelegram, type FakeTelegram } from '../../../test/fakes/fakeTelegram';
import { sweepWalletMain } from '../cli/sweepWallet';
import { OperatorError } from '../errors';
import { utcDayStart } from './runSweep';

const COLD = 'TJDENsfBJs4RFETt1X1W8wMDc8M5XnJhCe';
const OTHER_WHITELISTED = 'TQrY8tryqsYVCYS3MFbtffiPp2ccyn4STm';
const STRANGER = 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf';
const TOKEN = '7000000001:AAsweepbottoken_abcdefghijklmnopqrst';
let binance: FakeBinanceWallet;
let telegram: FakeTelegram;
let dataDir: string;

beforeAll(async () => {
	telegram = await startFakeTelegram({ tokens: [TOKEN] });
});
afterAll(async () => telegram.close());
beforeEach(async () => {
	binance = await startFakeBinanceWallet();
	telegram.reset();
	dataDir = mkdtempSync(join(tmpdir(), 'hfq-sweep-'));
	return async () => {
		await binance.close();
		rmSync(dataDir, { recursive: true, force: true });
	};
});

const LIVE = { HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY' };

function env(extra: Record<string, string> = {}): Record<string, string> {
	return {
		HFQ_SWEEP_ASSET: 'USDT',
		HFQ_SWEEP_THRESHOLD: '1000',
		HFQ_SWEEP_ADDRESS: COLD,
		HFQ_SWEEP_WHITELIST: `${COLD},${OTHER_WHITELISTED}`,
		HFQ_SWEEP_DAILY_CAP: '10000',
		HFQ_SWEEP_NETWORK: 'TRX',
		HFQ_SWEEP_API_KEY: binance.apiKey,
		HFQ_SWEEP_API_SECRET: binance.secret,
		HFQ_LIVE_BASE_URL: binance.url,
		TELEGRAM_BOT_TOKEN: TOKEN,
		HFQ_WATCHDOG_CHAT_ID: '-1009999',
		TELEGRAM_API_BASE_URL: telegram.url,
		HFQ_DATA_DIR: dataDir,
		...extra,
	};
}

async function sweep(argv: string[], e: Record<string, string>) {
	const out: string[] = [];
	const err: string[] = [];
	await sweepWalletMain(argv, { stdout: { write: (s) => out.push(s) > 0 }, stderr: { write: (s) => err.push(s) > 0 } }, e);
	const text = out.join('');
	return { text, report: JSON.parse(text.trim().split('\n').at(-1)!), stderr: err.join('') };
}

describe('npm run sweep-wallet', () => {
	it('is a dry run by default: says what it would withdraw and sends nothing', async () => {
		binance.setBalance('USDT', '5000.1234567');
		const { report, text } = await sweep([], env(LIVE));
		expect(report).toMatchObject({ outcome: 'dry_run', amount: 4000.123456, free_balance: 5000.1234567, withdrawn_today: 0, withdrawal_id: null, live: true });
		expect(text).toMatch(/would withdraw 4000\.123456 USDT to TJDEN.* on TRX/);
		expect(binance.applied).toEqual([]);
		expect(binance.balance('USDT').free).toBeCloseTo(5000.1234567, 7);
		expect(telegram.callsTo('sendMessage')).toEqual([]);
		expect(binance.rejected).toEqual([]);
	});

	it('in LIVE with --execute withdraws the excess once to the whitelisted address, and sends a notice', async () => {
		binance.setBalance('USDT', '5000');
		const { report } = await sweep(['--execute'], env(LIVE));
		expect(binance.applied).toHaveLength(1);
		expect(binance.applied[0]).toMatchObject({ coin: 'USDT', address: COLD, amount: '4000', network: 'TRX' });
		expect(binance.balance('USDT').free).toBe(1000);
		expect(report).toMatchObject({ outcome: 'withdrawn', amount: 4000, withdrawal_id: binance.withdrawals[0]!.id });
		const [notice] = telegram.callsTo('sendMessage');
		expect(notice?.fields.chat_id).toBe('-1009999');
		expect(String(notice?.fields.text)).toMatch(new RegExp(`withdrew 4000 USDT to ${COLD} on TRX.*\\nWithdrawal id ${binance.withdrawals[0]!.id}`, 's'));
		expect(binance.rejected).toEqual([]);
	});

	it('keeps today’s withdrawals plus this one within the daily cap, from the exchange’s history', async () => {
		const now = Date.now();
		const earlierToday = Math.max(utcDayStart(now), now - 60_000);
		binance.addWithdrawal({ coin: 'USDT', amount: '7000', applyTimeMs: earlierToday, status: 6 });
		binance.addWithdrawal({ coin: 'USDT', amount: '500', applyTimeMs: earlierToday, status: 4 }); // processing: counts
		binance.addWithdrawal({ coin: 'USDT', amount: '3000', applyTimeMs: earlierToday, status: 1 }); // cancelled: does not count
		binance.addWithdrawal({ coin: 'USDT', amount: '9000', applyTimeMs: utcDayStart(now) - 3_600_000, status: 6 }); // yesterday
		binance.addWithdrawal({ coin: 'BTC', amount: '1', applyTimeMs: earlierToday, status: 6, network: 'BTC' }); // another coin
		binance.setBalance('USDT', '50000');
		const first = await sweep(['--execute'], env(LIVE));
		expect(first.report).toMatchObject({ outcome: 'withdrawn', withdrawn_today: 7500, amount: 2500 });
		const second = await sweep(['--execute'], env(LIVE));
		expect(second.report).toMatchObject({ outcome: 'nothing_to_do', withdrawn_today: 10000, amount: null });
		expect(second.report.reason).toMatch(/daily cap/);
		expect(binance.applied).toHaveLength(1);
	});

	it('refuses an address outside the whitelist before contacting the exchange', async () => {
		binance.setBalance('USDT', '5000');
		await expect(sweep(['--execute', '--address', STRANGER], env(LIVE))).rejects.toThrow(/refused: TXYZ.* is not in HFQ_SWEEP_WHITELIST/);
		await expect(sweep([], env({ ...LIVE, HFQ_SWEEP_ADDRESS: STRANGER }))).rejects.toThrow(OperatorError);
		expect(binance.requests).toEqual([]);
		const other = await sweep(['--address', OTHER_WHITELISTED], env(LIVE));
		expect(other.report).toMatchObject({ outcome: 'dry_run', address: OTHER_WHITELISTED });
	});

	it.each([
		[{}, /HFQ_MODE is "PAPER"/],
		[{ HFQ_MODE: 'LIVE' }, /HFQ_LIVE_CONFIRM is not I_UNDERSTAND_REAL_MONEY/],
		[{ HFQ_MODE: 'live', HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY' }, /HFQ_MODE is "live"/],
		[{ HFQ_MODE: 'LIVE', HFQ_LIVE_CONFIRM: 'yes' }, /HFQ_LIVE_CONFIRM/],
	])('refuses to withdraw when not LIVE (%o), without touching the exchange', async (mode, reason) => {
		binance.setBalance('USDT', '5000');
		await expect(sweep(['--execute'], env(mode))).rejects.toThrow(reason);
		expect(binance.requests).toEqual([]);
		expect(binance.balance('USDT').free).toBe(5000);
	});

	it('a dry run also works in PAPER and says LIVE is needed to send', async () => {
		binance.setBalance('USDT', '1500');
		const { report } = await sweep([], env());
		expect(report).toMatchObject({ outcome: 'dry_run', amount: 500, live: false });
		expect(report.reason).toMatch(/--execute in LIVE mode/);
	});

	it('does nothing at or below the threshold', async () => {
		binance.setBalance('USDT', '999');
		const { report } = await sweep(['--execute'], env(LIVE));
		expect(report).toMatchObject({ outcome: 'nothing_to_do', amount: null });
		expect(binance.applied).toEqual([]);
		expect(telegram.callsTo('sendMessage')).toEqual([]);
	});

	it('a request signed with the wrong secret is refused by the exchange (-1022) and nothing moves', async () => {
		binance.setBalance('USDT', '5000');
		await expect(sweep(['--execute'], env({ ...LIVE, HFQ_SWEEP_API_SECRET: 'not-the-secret' }))).rejects.toThrow(/-1022|Signature/);
		expect(binance.rejected.map((r) => r.code)).toContain(-1022);
		expect(binance.applied).toEqual([]);
		await expect(sweep([], env({ ...LIVE, HFQ_SWEEP_API_KEY: 'unknownkey' }))).rejects.toThrow(/-2015|Invalid API-key/);
	});

	it('an exchange refusal of the withdrawal is reported and noticed on Telegram', async () => {
		binance.setBalance('USDT', '5000');
		binance.failNext('/sapi/v1/capital/withdraw/apply', 'insufficient_balance_400');
		await expect(sweep(['--execute'], env(LIVE))).rejects.toThrow(/sweep FAILED: 4000 USDT to .* insufficient balance/);
		expect(String(telegram.callsTo('sendMessage')[0]?.fields.text)).toMatch(/FAILED/);
	});

	it('one executing sweep at a time: a fresh lock refuses the run, the lock is released after a run', async () => {
		binance.setBalance('USDT', '5000');
		const lock = join(dataDir, 'sweep-wallet.lock');
		writeFileSync(lock, '4242 2026-01-01T00:00:00.000Z\n');
		await expect(sweep(['--execute'], env(LIVE))).rejects.toThrow(/another sweep is running .*held by 4242/);
		expect(binance.requests).toEqual([]);
		rmSync(lock);
		await sweep(['--execute'], env(LIVE));
		expect(binance.applied).toHaveLength(1);
		expect(existsSync(lock)).toBe(false);
	});

	it('names every missing or bad setting', async () => {
		await expect(sweep([], {})).rejects.toThrow(/not configured: set HFQ_SWEEP_ASSET/);
		const e = { ...env(LIVE), HFQ_SWEEP_NETWORK: '', HFQ_SWEEP_DAILY_CAP: '0', HFQ_SWEEP_THRESHOLD: 'lots', HFQ_LIVE_EXCHANGE: 'bybit', HFQ_SWEEP_API_SECRET: '' };
		const error = (await sweep([], e).catch((x: unknown) => x)) as Error;
		expect(error).toBeInstanceOf(OperatorError);
		for (const name of ['HFQ_SWEEP_NETWORK', 'HFQ_SWEEP_DAILY_CAP', 'HFQ_SWEEP_THRESHOLD', 'HFQ_LIVE_EXCHANGE', 'HFQ_SWEEP_API_SECRET']) expect(error.message).toContain(name);
		expect(error.message).not.toContain(binance.secret);
	});
});
