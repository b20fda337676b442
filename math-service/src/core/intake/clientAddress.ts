/**
 * @module intake/clientAddress
 * Which address sent a webhook alert, for the source-IP allowlist and the intake rate limit.
 *
 * `X-Forwarded-For` is a list every proxy APPENDS to: `client, proxy1, proxy2`, and the TCP peer
 * is the last proxy. Anything left of what our own proxies appended was written by the caller and
 * can be forged (`curl -H 'X-Forwarded-For: 52.89.214.238'`). So the client is taken a configured
 * number of trusted proxies away from the right: with the peer appended as the last hop,
 * `hops = [...forwardedFor, peer]` and the client is `hops[hops.length - 1 - trustedProxies]`.
 * - `trustedProxies = 0` (default): the socket peer; the header is ignored.
 * - `trustedProxies = 1` (one reverse proxy, e.g. Caddy or nginx): the right-most header entry.
 * - fewer hops than proxies: null (the request did not come through the proxies; fail closed).
 */

/** Largest accepted trusted-proxy count (a chain longer than this is a misconfiguration). */
export const MAX_TRUSTED_PROXIES = 10;

/**
 * The client address `trustedProxies` hops to the left of the socket peer, or null when the chain
 * is shorter than that (or the peer is unknown). Entries are trimmed; empty entries are dropped.
 */
export function clientAddress(
	forwardedFor: string | readonly string[] | undefined,
	peerAddress: string | undefined,
	trustedProxies: number,
): string | null {
	if (peerAddress === undefined || peerAddress.trim() === '') return null;
	if (trustedProxies === 0) return peerAddress.trim();
	const listed = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor as string | undefined) ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	const hops = [...listed, peerAddress.trim()];
	const index = hops.length - 1 - trustedProxies;
	return index >= 0 ? hops[index]! : null;
}
