/**
 * @module desk/runOperatorCommand
 * One Telegram message from the operator → its effect and the reply text (`POST /v1/operator/command`,
 * called by the HighFreqQuant Telegram node's Answer Command after it checked the webhook secret token).
 *
 * Who may command the desk: a chat id listed in TELEGRAM_OPERATOR_CHAT_IDS or in the Telegram
 * credential's Operator Chat IDs (the node sends those as `operator_chat_ids`). Any other chat — or
 * any chat when neither list names one — gets no answer (`reply: null`), changes nothing, and is
 * recorded in desk_events (`command_refused`, with the chat id, user and text). Plain chat (no
 * leading `/`) from an operator is ignored without a reply. Every obeyed command is recorded too.
 */
import { parseOperatorCommand, type OperatorCommand } from '../core/desk/parseOperatorCommand.js';
import type { Pipeline } from '../pipeline/createPipeline.js';
import { closeOpenPositions } from './closeOpenPosition.js';
import { closeReply, haltReply, helpReply, pnlReply, positionsReply, resumeReply, statusReply } from './deskReplies.js';
import { readDeskStatus } from './deskStatus.js';
import { haltDesk, resumeDesk } from './haltDesk.js';

export interface OperatorMessage {
	chatId: string;
	text: string;
	/** `@username` or the Telegram user id, for the audit trail. */
	user: string | null;
	/** The chat ids of the Telegram credential (Operator Chat IDs), sent by the node. */
	extraChatIds?: readonly string[];
	prices?: Record<string, number>;
}

export interface OperatorCommandResult {
	accepted: boolean;
	/** What to send back to the chat; null = send nothing. */
	reply: string | null;
	command: string | null;
	/** Why nothing was done: `chat_not_allowed`, `not_a_command`, `unknown_command`, `bad_arguments`. */
	refused: string | null;
	/** The structured outcome of a halt, resume or close (null for read-only commands). */
	outcome: unknown;
}

export async function runOperatorCommand(p: Pipeline, m: OperatorMessage): Promise<OperatorCommandResult> {
	const chatId = m.chatId.trim();
	const allowed = new Set([...p.settings.operatorChatIds, ...(m.extraChatIds ?? []).map((id) => id.trim())].filter((id) => id !== ''));
	const actor = `telegram:${chatId}${m.user ? `/${m.user}` : ''}`.slice(0, 128);
	const nowMs = p.now();
	if (!allowed.has(chatId)) {
		await p.storage.desk.recordEvent({
			at: nowMs,
			action: 'command_refused',
			actor,
			detail: { chat_id: chatId, user: m.user, text: m.text.slice(0, 200), reason: allowed.size === 0 ? 'no operator chat id is configured' : 'chat id not in the operator list' },
		});
		return { accepted: false, reply: null, command: null, refused: 'chat_not_allowed', outcome: null };
	}
	const parsed = parseOperatorCommand(m.text);
	if (!parsed.ok) {
		if (parsed.error === 'not_a_command') return { accepted: true, reply: null, command: null, refused: 'not_a_command', outcome: null };
		return { accepted: true, reply: `${parsed.message}. /help lists the commands.`, command: parsed.name, refused: parsed.error, outcome: null };
	}
	const { reply, outcome } = await execute(p, parsed.command, actor, m.prices);
	if (parsed.command.kind !== 'halt' && parsed.command.kind !== 'resume') {
		// halt and resume record their own event; the rest are logged as commands.
		await p.storage.desk.recordEvent({ at: nowMs, action: 'command', actor, detail: { text: m.text.slice(0, 200) } });
	}
	return { accepted: true, reply, command: parsed.command.kind, refused: null, outcome };
}

async function execute(p: Pipeline, c: OperatorCommand, actor: string, prices?: Record<string, number>): Promise<{ reply: string; outcome: unknown }> {
	switch (c.kind) {
		case 'status':
			return { reply: statusReply(await readDeskStatus(p)), outcome: null };
		case 'pnl':
			return { reply: pnlReply(await readDeskStatus(p)), outcome: null };
		case 'positions':
			return { reply: positionsReply(await readDeskStatus(p)), outcome: null };
		case 'help':
			return { reply: helpReply(), outcome: null };
		case 'halt': {
			const outcome = await haltDesk(p, { by: actor, reason: c.flatten ? 'halt flatten from Telegram' : 'halt from Telegram', flatten: c.flatten, prices });
			return { reply: haltReply(outcome), outcome };
		}
		case 'resume': {
			const outcome = await resumeDesk(p, { by: actor });
			return { reply: resumeReply(outcome), outcome };
		}
		case 'close': {
			const outcome = await closeOpenPositions(p, { symbol: c.symbol, actor, exitReason: 'operator_close', prices });
			return { reply: closeReply(outcome, `in ${c.symbol}`), outcome };
		}
	}
}
