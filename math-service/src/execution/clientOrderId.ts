/**
 * @module execution/clientOrderId
 * The client order id of a LIVE order, derived from its decision so that every retry, duplicate
 * delivery or restart names the same order: `hfq` + the decision id (base 36) + 12 hex characters
 * of SHA-256(alert id, decision id) — the hash keeps two databases trading one account from
 * colliding on a decision id. At most 27 characters, from Binance's allowed set
 * `^[.A-Z:/a-z0-9_-]{1,36}$` (newClientOrderId, 36 at most), leaving room for the suffixes of the
 * position's protection (`p`) and its closing order (`x`), all within CLIENT_ORDER_ID_MAX (32).
 */
import { createHash } from 'node:crypto';

export const CLIENT_ORDER_ID_MAX = 32;
const ALLOWED = /^[.A-Z:/a-z0-9_-]{1,36}$/;

export function clientOrderIdFor(decisionId: number, alertId: string): string {
	const hash = createHash('sha256').update(`${alertId}\u0000${decisionId}`).digest('hex').slice(0, 12);
	return `hfq${decisionId.toString(36)}-${hash}`;
}

/** The OCO list protecting the position the order opened. */
export const protectionIdFor = (clientOrderId: string) => `${clientOrderId}-p`;
/** The market order that closes it. */
export const closeOrderIdFor = (clientOrderId: string) => `${clientOrderId}-x`;

export function isValidClientOrderId(id: string): boolean {
	return ALLOWED.test(id) && id.length <= CLIENT_ORDER_ID_MAX;
}
