/**
 * @module intake/isAllowedSourceIp
 * Optional source-IP allowlist for webhook alerts. TradingView delivers webhooks over IPv4 only,
 * from four published addresses (support article 43000529348). Behind a dual-stack listener Node
 * reports them as IPv4-mapped IPv6 (`::ffff:52.89.214.238`), which is unwrapped first.
 *
 * The caller decides which address to pass: the socket's peer address, or the address a configured
 * number of trusted proxies away from it (intake/clientAddress.ts), never a client-written
 * `X-Forwarded-For` entry.
 */

/** TradingView's published webhook source addresses. */
export const TRADINGVIEW_WEBHOOK_IPS: readonly string[] = Object.freeze([
	'52.89.214.238',
	'34.212.75.30',
	'54.218.53.128',
	'52.32.178.7',
]);

/**
 * True when `ip` (IPv4, or IPv4-mapped IPv6 in dotted or hex form) is in `allowlist`, whose entries
 * are IPv4 addresses or IPv4 CIDR ranges (`10.0.0.0/8`). Anything unparsable is false.
 */
export function isAllowedSourceIp(
	ip: string | undefined,
	allowlist: readonly string[] = TRADINGVIEW_WEBHOOK_IPS,
): boolean {
	if (typeof ip !== 'string') return false;
	const address = ipv4ToInt(unmapIpv6(ip.trim()));
	if (address === null) return false;
	return allowlist.some((entry) => {
		const [base, bitsText] = entry.trim().split('/');
		const network = ipv4ToInt(base ?? '');
		if (network === null) return false;
		const bits = bitsText === undefined ? 32 : Number(bitsText);
		if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
		const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
		return (address & mask) >>> 0 === (network & mask) >>> 0;
	});
}

/** True when `entry` is an IPv4 address or an IPv4 CIDR range (`10.0.0.0/8`) that the allowlist can use. */
export function isValidAllowlistEntry(entry: string): boolean {
	const [base, bitsText, extra] = entry.trim().split('/');
	if (extra !== undefined || ipv4ToInt(base ?? '') === null) return false;
	return bitsText === undefined || (/^\d{1,2}$/.test(bitsText) && Number(bitsText) <= 32);
}

function unmapIpv6(ip: string): string {
	const bare = ip.replace(/^\[(.*)\]$/, '$1').toLowerCase();
	const dotted = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
	if (dotted) return dotted[1]!;
	const hex = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(bare);
	if (hex) {
		const hi = parseInt(hex[1]!, 16);
		const lo = parseInt(hex[2]!, 16);
		return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
	}
	return bare;
}

/** Strict dotted-quad (no leading zeros, each octet 0–255) → unsigned 32-bit integer, else null. */
function ipv4ToInt(ip: string): number | null {
	const parts = ip.split('.');
	if (parts.length !== 4) return null;
	let value = 0;
	for (const part of parts) {
		if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return null;
		const octet = Number(part);
		if (octet > 255) return null;
		value = value * 256 + octet;
	}
	return value >>> 0;
}
