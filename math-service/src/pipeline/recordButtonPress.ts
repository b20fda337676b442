/**
 * @module pipeline/recordButtonPress
 * A trader's answer to a signal card (Telegram inline buttons "Executed" / "Skipped"), recorded
 * against its decision so performance can separate signals taken from signals passed. Telegram may
 * redeliver an update: a press is recorded once per callback_query id (a repeat returns the first,
 * `duplicate: true`). An unknown decision id is a NotFoundError (HTTP 404).
 */
import type { CallbackAction, CallbackEvent } from '../storage/schema.js';
import type { Pipeline } from './createPipeline.js';

export class NotFoundError extends Error {
	override readonly name = 'NotFoundError';
}

export interface ButtonPress {
	action: CallbackAction;
	user: string;
	/** Telegram's callback_query.id; null → no de-duplication. */
	callbackQueryId: string | null;
	raw: unknown;
}

export async function recordButtonPress(p: Pipeline, decisionId: number, press: ButtonPress): Promise<{ event: CallbackEvent; duplicate: boolean }> {
	const decision = await p.storage.decisions.getById(decisionId);
	if (decision === null) throw new NotFoundError(`decision ${decisionId} not found`);
	const { inserted, event } = await p.storage.callbackEvents.insert({
		decisionId,
		action: press.action,
		callbackQueryId: press.callbackQueryId,
		user: press.user,
		receivedAt: p.now(),
		raw: press.raw ?? null,
	});
	return { event, duplicate: !inserted };
}
