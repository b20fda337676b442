/**
 * The inline buttons' `callback_data`: `hfq:<action>:<decision_id>`. Telegram allows 1-64 bytes
 * (UTF-8), so a decision id must leave room for the prefix and the action: `hfq:skipped:` is 12
 * bytes, which leaves 52 for the id. Longer ids are refused here, before Telegram answers
 * BUTTON_DATA_INVALID.
 */
export const CALLBACK_PREFIX = 'hfq';
export const CALLBACK_DATA_MAX_BYTES = 64;

/** What a button press means. `done` marks a button that only shows an already recorded choice. */
export type ButtonAction = 'executed' | 'skipped' | 'done';

export interface ParsedCallback {
	action: ButtonAction;
	decisionId: string;
}

/** `hfq:<action>:<decisionId>`; throws when it would exceed Telegram's 64 bytes. */
export function formatCallbackData(action: ButtonAction, decisionId: string): string {
	const data = `${CALLBACK_PREFIX}:${action}:${decisionId}`;
	const bytes = Buffer.byteLength(data, 'utf8');
	if (decisionId === '' || bytes > CALLBACK_DATA_MAX_BYTES) {
		throw new RangeError(
			`callback_data "${data}" is ${bytes} bytes; Telegram allows 1-${CALLBACK_DATA_MAX_BYTES} (decision id too long or empty)`,
		);
	}
	return data;
}

/** Parses `hfq:<action>:<decisionId>`; null for anything else (another bot's or a foreign button). */
export function parseCallbackData(data: unknown): ParsedCallback | null {
	if (typeof data !== 'string') return null;
	const match = /^hfq:(executed|skipped|done):(.+)$/.exec(data);
	if (match === null) return null;
	return { action: match[1] as ButtonAction, decisionId: match[2] };
}
