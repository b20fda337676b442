/**
 * The alert's source address as n8n sees it, and TradingView's published webhook addresses.
 *
 * n8n's Webhook node does not put the TCP peer address on the item; behind a reverse proxy the
 * client address arrives in `X-Forwarded-For` (first entry = the original client when the proxy
 * appends, as nginx/Caddy/Traefik do) or `X-Real-IP`. Without a proxy there is no address, and the
 * TradingView-IP check fails closed. The header is only as trustworthy as the proxy that sets it:
 * n8n must not be reachable except through that proxy.
 *
 * TradingView sends webhooks from these four addresses (TradingView help: "About webhooks").
 * The math service keeps the same list (core/intake/isAllowedSourceIp.ts).
 */
export const TRADINGVIEW_WEBHOOK_IPS: readonly string[] = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

function header(headers: unknown, name: string): string | undefined {
	if (headers === null || typeof headers !== 'object') return undefined;
	const value = (headers as Record<string, unknown>)[name];
	if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/** First X-Forwarded-For entry, else X-Real-IP; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) unmapped; null when absent. */
export function sourceAddressOf(headers: unknown): string | null {
	const forwarded = header(headers, 'x-forwarded-for')?.split(',')[0]?.trim();
	const candidate = forwarded || header(headers, 'x-real-ip')?.trim();
	if (!candidate) return null;
	return candidate.replace(/^::ffff:/i, '');
}

export function isTradingViewAddress(address: string | null): boolean {
	return address !== null && TRADINGVIEW_WEBHOOK_IPS.includes(address);
}
