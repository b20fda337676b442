/**
 * The Glassnode metrics the desk reads and their API paths (Glassnode API v1,
 * `GET /v1/metrics/<category>/<metric>`):
 * - exchange netflow: net coins moved onto exchanges (positive = inflow, coins about to be sold);
 * - SOPR: realised price / purchase price of all coins spent that period (> 1 = sold at a profit);
 * - LTH-SOPR: the same for coins held longer than 155 days (long-term holders).
 * Their names here are the ones the math service stores (`exchange_netflow`, `sopr`, `lth_sopr`).
 */
export const GLASSNODE_METRICS = {
	exchange_netflow: { path: '/v1/metrics/transactions/transfers_volume_exchanges_net', label: 'Exchange Netflow' },
	sopr: { path: '/v1/metrics/indicators/sopr', label: 'SOPR' },
	lth_sopr: { path: '/v1/metrics/indicators/sopr_more_155', label: 'Long-Term-Holder SOPR' },
} as const;

export type GlassnodeMetric = keyof typeof GLASSNODE_METRICS;

export const INTERVAL_SECONDS: Record<string, number> = { '1h': 3_600, '24h': 86_400 };

export interface Observation {
	asset: string;
	metric: GlassnodeMetric;
	resolution: string;
	/** Period start, Unix seconds (Glassnode's `t`). */
	t: number;
	t_iso: string;
	/** null = Glassnode reported the value missing (kept distinct from 0). */
	value: number | null;
}

/**
 * Glassnode's `[{t, v}]` (oldest first; `t` Unix seconds or RFC 3339 when humanized) as observations.
 * A point without a numeric `v` (null, or a multi-value `o`) is kept with value null.
 */
export function normalizeGlassnodeSeries(body: unknown, asset: string, metric: GlassnodeMetric, resolution: string): Observation[] {
	if (!Array.isArray(body)) throw new Error('Glassnode answered something other than a JSON array');
	const out: Observation[] = [];
	for (const point of body) {
		if (point === null || typeof point !== 'object') continue;
		const { t, v } = point as { t?: unknown; v?: unknown };
		const seconds = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) / 1000 : Number.NaN;
		if (!Number.isFinite(seconds)) continue;
		out.push({
			asset,
			metric,
			resolution,
			t: seconds,
			t_iso: new Date(seconds * 1000).toISOString(),
			value: typeof v === 'number' && Number.isFinite(v) ? v : null,
		});
	}
	return out;
}
