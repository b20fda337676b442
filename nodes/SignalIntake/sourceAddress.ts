/**
 * The alert's source address as n8n sees it, and TradingView's published webhook addresses.
 *
 * n8n's Webhook node does not put the TCP peer address on the item, so the address comes from
 * `X-Forwarded-For`, which every reverse proxy APPENDS to (`client, proxy1, …`). Entries left of
 * what our own proxies appended were written by the caller and can be forged
 * (`curl -H 'X-Forwarded-For: 52.89.214.238'`), so the client is read a configured number of
 * trusted proxies from the RIGHT: with one proxy in front of n8n (Caddy, nginx, Traefik) the
 * right-most entry, the address that proxy itself saw; with a CDN in front of it, the second from
 * the right; and so on. A chain shorter than that (no header, the proxy bypassed) yields no address
 * and the TradingView-IP check fails closed. `X-Real-IP` is not read: a proxy that does not set it
 * passes a client's own value through. n8n must not be reachable except through the proxies.
 *
 * TradingView sends webhooks from these four addresses (TradingView help: "About webhooks").
 * The math service keeps the same list (core/intake/isAllowedSourceIp.ts).
 */
export const TRADINGVIEW_WEBHOOK_IPS: readonly string[] = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

function forwardedEntries(headers: unknown): string[] {
	if (headers === null || typeof headers !== 'object') return [];
	const value = (headers as Record<string, unknown>)['x-forwarded-for'];
	const text = Array.isArray(value) ? value.map(String).join(',') : value === undefined || value === null ? '' : String(value);
	return text
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/**
 * The X-Forwarded-For entry `trustedProxies` from the right (1 = the right-most), IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) unmapped; null when the header has fewer entries or `trustedProxies` < 1.
 */
export function sourceAddressOf(headers: unknown, trustedProxies = 1): string | null {
	if (!Number.isInteger(trustedProxies) || trustedProxies < 1) return null;
	const entries = forwardedEntries(headers);
	const candidate = entries[entries.length - trustedProxies];
	if (candidate === undefined) return null;
	return candidate.replace(/^::ffff:/i, '');
}

export function isTradingViewAddress(address: string | null): boolean {
	return address !== null && TRADINGVIEW_WEBHOOK_IPS.includes(address);
}
