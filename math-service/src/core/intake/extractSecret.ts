/**
 * @module intake/extractSecret
 * The `secret` of a webhook body, read before the body is validated as an alert, so a caller
 * without the secret gets 401 and learns nothing about the alert schema (no 400/415/422 detail).
 *
 * The body's JSON object's `secret` (or, for the order-fill envelope `{"secret","order":{…}}`,
 * the inner one when the outer is missing). A body that is not JSON — typically an alert Message
 * with an unexpanded placeholder, `"close": {{close}}` — still yields the first `"secret":"…"`
 * string in it, so its sender (who knows the secret) is told what to fix. Undefined otherwise.
 */

import { parseBodyJson } from './parseBodyJson.js';

const SECRET_PATTERN = /"secret"\s*:\s*"((?:[^"\\]|\\.)*)"/;

export function extractSecret(raw: string): string | undefined {
	const text = raw.replace(/^\uFEFF/, '').trim();
	const json = parseBodyJson(text);
	if (!json.ok) {
		const match = SECRET_PATTERN.exec(text);
		if (match === null) return undefined;
		try {
			return JSON.parse(`"${match[1]}"`) as string;
		} catch {
			return undefined;
		}
	}
	const parsed = json.value;
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
	const object = parsed as Record<string, unknown>;
	if (typeof object.secret === 'string') return object.secret;
	const order = object.order;
	if (order !== null && typeof order === 'object' && !Array.isArray(order)) {
		const inner = (order as Record<string, unknown>).secret;
		if (typeof inner === 'string') return inner;
	}
	return undefined;
}
