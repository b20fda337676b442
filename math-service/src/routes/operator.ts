/**
 * @module routes/operator
 * `POST /v1/operator/command`: one Telegram message from the operator's chat → its effect and the
 * reply text (desk/runOperatorCommand). The HighFreqQuant Telegram node (Answer Command) calls it
 * after checking the webhook secret token, with the credential's Operator Chat IDs; the service also
 * accepts the chats in TELEGRAM_OPERATOR_CHAT_IDS. A chat in neither list gets `accepted: false,
 * reply: null` (send nothing) and is recorded in desk_events as `command_refused`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../appDeps';
import { createRouter, errorResponses, jsonResponse } from '../http/createRouter';
import { pipelineFor } from '../pipeline/createPipeline';
import { CHAT_ID_PATTERN } from '../pipeline/pipelineSettings';
import { runOperatorCommand } from '../desk/runOperatorCommand';

const chatId = z
	.union([z.number().int(), z.string().trim().regex(CHAT_ID_PATTERN, 'must be a Telegram chat id (an integer)')])
	.transform((v) => String(v));

const CommandRequest = z.object({
	chat_id: chatId.openapi({ description: 'message.chat.id of the Telegram update', example: 123456789 }),
	text: z.string().max(4096).openapi({ description: 'message.text', example: '/halt flatten' }),
	user: z.string().max(64).nullable().optional().openapi({ description: '@username or user id, for the audit trail', example: '@desk' }),
	operator_chat_ids: z
		.array(z.string().trim().regex(CHAT_ID_PATTERN, 'must be a Telegram chat id (an integer)'))
		.max(100)
		.optional()
		.openapi({ description: 'Chats allowed by the Telegram credential (Operator Chat IDs), added to TELEGRAM_OPERATOR_CHAT_IDS' }),
	prices: z.record(z.string().max(64), z.number().finite().positive()).optional().openapi({ description: 'Prices for closes; default the latest stored close' }),
});

const CommandResponse = z
	.object({
		accepted: z.boolean().openapi({ description: 'false: the chat is not an operator chat; nothing was done or answered' }),
		reply: z.string().nullable().openapi({ description: 'Plain text to send back to the chat; null = send nothing' }),
		command: z.string().nullable().openapi({ example: 'halt' }),
		refused: z.string().nullable().openapi({ description: 'chat_not_allowed, not_a_command, unknown_command or bad_arguments; null when obeyed' }),
		outcome: z.unknown().openapi({ description: 'Halt, resume or close: the same body as the /v1/desk route' }),
	})
	.openapi('OperatorCommandResult');

const commandRoute = createRoute({
	method: 'post',
	path: '/command',
	summary: 'Run an operator command from Telegram (/status, /pnl, /positions, /halt [flatten], /resume, /close SYMBOL, /help)',
	tags: ['desk'],
	request: { body: { required: true, content: { 'application/json': { schema: CommandRequest } } } },
	responses: { 200: jsonResponse(CommandResponse, 'The reply to send (or null) and what was done'), ...errorResponses },
});

export function operatorRoutes(deps: AppDeps) {
	return createRouter().openapi(commandRoute, async (c) => {
		const b = c.req.valid('json');
		const result = await runOperatorCommand(pipelineFor(deps), { chatId: b.chat_id, text: b.text, user: b.user ?? null, extraChatIds: b.operator_chat_ids, prices: b.prices });
		return c.json(result, 200);
	});
}
