/**
 * @module desk/parseOperatorCommand
 * The operator's Telegram commands (freqtrade's set, for one desk), parsed from a message text:
 *
 * | Command          | Does                                                             |
 * | ---------------- | ---------------------------------------------------------------- |
 * | `/status`        | mode, halted or trading, open positions, today's P&L             |
 * | `/pnl`           | today's P&L: realised (closed trades), unrealised, equity change |
 * | `/positions`     | every open position with its mark and unrealised P&L             |
 * | `/halt`          | the kill switch: no new entries until `/resume`                  |
 * | `/halt flatten`  | halt, then close every open position at the latest price         |
 * | `/resume`        | lift the halt                                                    |
 * | `/close SYMBOL`  | close the open position(s) in one symbol (`BTC`, `BTCUSDT`, `BTC/USDT`); `all` = every one |
 * | `/help`          | this list                                                        |
 *
 * Telegram's group form `/halt@MyBot` is accepted; names are case-insensitive; extra words are an
 * error (so `/halt now` is not silently a plain halt). Text that is not a command (no leading `/`)
 * is `not_a_command`: the desk ignores chat. Pure: no I/O, no clock.
 */
export type OperatorCommand =
	| { kind: 'status' }
	| { kind: 'pnl' }
	| { kind: 'positions' }
	| { kind: 'halt'; flatten: boolean }
	| { kind: 'resume' }
	| { kind: 'close'; symbol: string }
	| { kind: 'help' };

export type ParsedOperatorCommand =
	| { ok: true; command: OperatorCommand }
	| { ok: false; error: 'not_a_command' | 'unknown_command' | 'bad_arguments'; name: string | null; message: string };

export const OPERATOR_COMMANDS: readonly { usage: string; does: string }[] = Object.freeze([
	{ usage: '/status', does: 'mode, halt, open positions, today’s P&L' },
	{ usage: '/pnl', does: 'today’s P&L: realised, unrealised, equity change' },
	{ usage: '/positions', does: 'open positions with mark and unrealised P&L' },
	{ usage: '/halt', does: 'stop new entries (the kill switch)' },
	{ usage: '/halt flatten', does: 'stop new entries and close every open position' },
	{ usage: '/resume', does: 'lift the halt' },
	{ usage: '/close SYMBOL', does: 'close the open position(s) in one symbol, e.g. /close BTC (/close all: every one, without halting)' },
	{ usage: '/help', does: 'this list' },
]);

const SYMBOL_ARGUMENT = /^[A-Za-z0-9]{1,20}([/:_-][A-Za-z0-9]{1,20})?$/;
const MAX_TEXT = 512;

export function parseOperatorCommand(text: unknown): ParsedOperatorCommand {
	const raw = typeof text === 'string' ? text.trim() : '';
	if (!raw.startsWith('/')) return { ok: false, error: 'not_a_command', name: null, message: 'not a command (commands start with /)' };
	const words = raw.slice(0, MAX_TEXT).split(/\s+/);
	const name = words[0]!.slice(1).split('@')[0]!.toLowerCase();
	const args = words.slice(1);
	const bad = (message: string): ParsedOperatorCommand => ({ ok: false, error: 'bad_arguments', name, message });
	const noArgs = (command: OperatorCommand): ParsedOperatorCommand =>
		args.length === 0 ? { ok: true, command } : bad(`/${name} takes no arguments`);
	switch (name) {
		case 'status':
		case 'pnl':
		case 'positions':
		case 'resume':
		case 'help':
			return noArgs({ kind: name });
		case 'start':
			return noArgs({ kind: 'help' });
		case 'halt':
		case 'stop':
			if (args.length === 0) return { ok: true, command: { kind: 'halt', flatten: false } };
			if (args.length === 1 && args[0]!.toLowerCase() === 'flatten') return { ok: true, command: { kind: 'halt', flatten: true } };
			return bad('usage: /halt or /halt flatten');
		case 'close':
			if (args.length !== 1 || !SYMBOL_ARGUMENT.test(args[0]!)) return bad('usage: /close SYMBOL, e.g. /close BTC or /close ETH/USDT');
			return { ok: true, command: { kind: 'close', symbol: args[0]!.toUpperCase() } };
		default:
			return { ok: false, error: 'unknown_command', name, message: `unknown command /${name}` };
	}
}
