/**
 * @module intake/parseIntervalMs
 * Bar length of a TradingView interval (`{{interval}}`, Pine `timeframe.period`): digits alone are
 * minutes (`60` = 1 h), suffixes `S` seconds, `D` days, `W` weeks (a missing count means 1).
 * Months (`M`) have no fixed length and, like anything unrecognised, give `null`.
 */
const UNIT_MS: Record<string, number> = { '': 60_000, S: 1_000, D: 86_400_000, W: 604_800_000 };

export function parseIntervalMs(interval: string | null | undefined): number | null {
	if (typeof interval !== 'string') return null;
	const m = /^(\d*)([SDW]?)$/i.exec(interval.trim());
	if (!m || (m[1] === '' && m[2] === '')) return null;
	const count = m[1] === '' ? 1 : Number(m[1]);
	if (!Number.isSafeInteger(count) || count <= 0) return null;
	return count * UNIT_MS[m[2]!.toUpperCase()]!;
}
