import { describe, expect, it } from 'vitest';
import { parseOperatorCommand } from './parseOperatorCommand.js';

const ok = (text: string) => {
	const parsed = parseOperatorCommand(text);
	if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
	return parsed.command;
};

describe('parseOperatorCommand', () => {
	it('reads each command, case-insensitive, with the @bot suffix of group chats', () => {
		expect(ok('/status')).toEqual({ kind: 'status' });
		expect(ok('/PnL')).toEqual({ kind: 'pnl' });
		expect(ok('  /positions  ')).toEqual({ kind: 'positions' });
		expect(ok('/resume@HighFreqQuantBot')).toEqual({ kind: 'resume' });
		expect(ok('/help')).toEqual({ kind: 'help' });
		expect(ok('/start')).toEqual({ kind: 'help' });
	});

	it('halts, with flatten only when asked for by that word', () => {
		expect(ok('/halt')).toEqual({ kind: 'halt', flatten: false });
		expect(ok('/halt flatten')).toEqual({ kind: 'halt', flatten: true });
		expect(ok('/halt@bot   FLATTEN')).toEqual({ kind: 'halt', flatten: true });
		expect(ok('/stop')).toEqual({ kind: 'halt', flatten: false });
		expect(parseOperatorCommand('/halt now')).toMatchObject({ ok: false, error: 'bad_arguments', name: 'halt' });
		expect(parseOperatorCommand('/halt flatten everything')).toMatchObject({ ok: false, error: 'bad_arguments' });
	});

	it('closes one symbol, in any of the usual spellings, upper-cased', () => {
		expect(ok('/close btc')).toEqual({ kind: 'close', symbol: 'BTC' });
		expect(ok('/close BTCUSDT')).toEqual({ kind: 'close', symbol: 'BTCUSDT' });
		expect(ok('/close eth/usdt')).toEqual({ kind: 'close', symbol: 'ETH/USDT' });
		expect(parseOperatorCommand('/close')).toMatchObject({ ok: false, error: 'bad_arguments', name: 'close' });
		expect(parseOperatorCommand('/close BTC ETH')).toMatchObject({ ok: false, error: 'bad_arguments' });
		expect(parseOperatorCommand('/close <b>x</b>')).toMatchObject({ ok: false, error: 'bad_arguments' });
	});

	it('refuses arguments to commands that take none, unknown commands and plain chat', () => {
		expect(parseOperatorCommand('/status please')).toMatchObject({ ok: false, error: 'bad_arguments', name: 'status' });
		expect(parseOperatorCommand('/buy BTC')).toMatchObject({ ok: false, error: 'unknown_command', name: 'buy' });
		expect(parseOperatorCommand('halt')).toMatchObject({ ok: false, error: 'not_a_command' });
		expect(parseOperatorCommand('')).toMatchObject({ ok: false, error: 'not_a_command' });
		expect(parseOperatorCommand(undefined)).toMatchObject({ ok: false, error: 'not_a_command' });
		expect(parseOperatorCommand(42)).toMatchObject({ ok: false, error: 'not_a_command' });
	});
});
