/**
 * Get Metrics: exchange netflow, SOPR and long-term-holder SOPR of BTC and/or ETH from Glassnode,
 * normalised to `{asset, metric, resolution, t, t_iso, value}`, and (by default) stored in the
 * HighFreqQuant math service point in time — stamped with the time the service learned them, so a
 * score or a backtest never sees a value before it was published.
 *
 * Without a "Since", a stored series is fetched from a few periods before its newest stored one (so
 * Glassnode's revisions of recent values are picked up) and an empty one from `Backfill Periods`
 * back; a value equal to the stored one is not stored again.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { providerGet, providerRetryOptions, providerRetryPolicy } from '../../shared/providerTransport';
import { GLASSNODE_METRICS, INTERVAL_SECONDS, normalizeGlassnodeSeries, type GlassnodeMetric, type Observation } from './glassnodeMetrics';

export const GLASSNODE_CREDENTIAL = 'glassnodeApi';

export const option = {
	name: 'Get Metrics',
	value: 'getMetrics',
	description: 'Fetch exchange netflow, SOPR and LTH-SOPR and store them point in time',
	action: 'Get on-chain metrics',
};

const show = { show: { operation: ['getMetrics'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Assets',
		name: 'assets',
		type: 'multiOptions',
		options: [
			{ name: 'BTC', value: 'BTC' },
			{ name: 'ETH', value: 'ETH' },
		],
		default: ['BTC', 'ETH'],
		description: 'Assets to fetch (Glassnode carries these metrics for BTC and ETH)',
		displayOptions: show,
	},
	{
		displayName: 'Metrics',
		name: 'metrics',
		type: 'multiOptions',
		options: (Object.keys(GLASSNODE_METRICS) as GlassnodeMetric[]).map((value) => ({ name: GLASSNODE_METRICS[value].label, value })),
		default: ['exchange_netflow', 'sopr', 'lth_sopr'],
		description: 'Exchange netflow (positive = coins moving onto exchanges), SOPR and long-term-holder SOPR',
		displayOptions: show,
	},
	{
		displayName: 'Interval',
		name: 'interval',
		type: 'options',
		options: [
			{ name: '1 Hour', value: '1h' },
			{ name: '24 Hours', value: '24h' },
		],
		default: '24h',
		description: 'Resolution of each point (which ones your plan has depends on the metric)',
		displayOptions: show,
	},
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		description: 'First period to fetch. Empty: continue after what is stored (or Backfill Periods back).',
		displayOptions: show,
	},
	{
		displayName: 'Until',
		name: 'until',
		type: 'dateTime',
		default: '',
		description: 'Last period to fetch. Empty: now.',
		displayOptions: show,
	},
	{
		displayName: 'Store in HighFreqQuant',
		name: 'store',
		type: 'boolean',
		default: true,
		description: 'Whether to store the values in the math service (point in time) for the alpha score and backtests',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'glassnodeOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Backfill Periods',
				name: 'backfillPeriods',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 5000 },
				default: 60,
				description: 'How many periods back an empty series starts',
			},
			{
				displayName: 'Exchange',
				name: 'exchange',
				type: 'string',
				default: '',
				placeholder: 'binance',
				description: 'Netflow of one exchange only (Glassnode `e`); empty = all exchanges',
			},
			{
				displayName: 'Revision Periods',
				name: 'revisionPeriods',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 3,
				description: 'How many stored periods are fetched again to pick up Glassnode revisions',
			},
			...providerRetryOptions('Glassnode'),
		],
	},
];

function toSeconds(this: IExecuteFunctions, value: string, name: string, itemIndex: number): number | null {
	if (value === '' || value === undefined || value === null) return null;
	const ms = Date.parse(value);
	if (!Number.isFinite(ms)) throw new NodeOperationError(this.getNode(), `${name} is not a date: "${value}"`, { itemIndex });
	return Math.floor(ms / 1000);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const assets = this.getNodeParameter('assets', itemIndex, []) as string[];
	const metrics = this.getNodeParameter('metrics', itemIndex, []) as GlassnodeMetric[];
	const interval = this.getNodeParameter('interval', itemIndex, '24h') as string;
	const store = this.getNodeParameter('store', itemIndex, true) as boolean;
	const o = this.getNodeParameter('glassnodeOptions', itemIndex, {}) as IDataObject;
	if (assets.length === 0 || metrics.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one asset and one metric', { itemIndex });
	}
	const step = INTERVAL_SECONDS[interval];
	if (step === undefined) throw new NodeOperationError(this.getNode(), `Interval "${interval}" is not supported (1h, 24h)`, { itemIndex });
	const until = toSeconds.call(this, this.getNodeParameter('until', itemIndex, '') as string, 'Until', itemIndex) ?? Math.floor(Date.now() / 1000);
	const sinceParam = toSeconds.call(this, this.getNodeParameter('since', itemIndex, '') as string, 'Since', itemIndex);
	if (sinceParam !== null && sinceParam > until) throw new NodeOperationError(this.getNode(), 'Since is after Until', { itemIndex });
	const backfill = Number(o.backfillPeriods ?? 60);
	const revision = Number(o.revisionPeriods ?? 3);
	const exchange = String(o.exchange ?? '').trim();
	const policy = providerRetryPolicy(o);
	const credentials = await this.getCredentials<{ baseUrl?: string }>(GLASSNODE_CREDENTIAL, itemIndex);
	const baseUrl = String(credentials.baseUrl || 'https://api.glassnode.com').replace(/\/+$/, '');

	const observations: Observation[] = [];
	const series: IDataObject[] = [];
	for (const asset of assets) {
		for (const metric of metrics) {
			let since = sinceParam;
			if (since === null) {
				let latestMs: number | null = null;
				if (store) {
					const known = await mathServiceRequest.call(this, 'GET', `/v1/onchain?asset=${asset}&metric=${metric}&resolution=${interval}&limit=1`, undefined, itemIndex);
					latestMs = typeof known.latest_period_start === 'number' ? known.latest_period_start : null;
				}
				since = latestMs === null ? until - backfill * step : Math.floor(latestMs / 1000) - revision * step;
			}
			const { path } = GLASSNODE_METRICS[metric];
			const qs: IDataObject = { a: asset, i: interval, s: since, u: until };
			if (metric === 'exchange_netflow') {
				qs.c = 'NATIVE';
				if (exchange) qs.e = exchange;
			}
			const body = await providerGet.call(
				this,
				{
					provider: 'Glassnode',
					credentialType: GLASSNODE_CREDENTIAL,
					url: `${baseUrl}${path}`,
					safeUrl: `${baseUrl}${path}?a=${asset}&i=${interval}`,
					qs,
					authHint: 'Check the API key of the Glassnode credential; 403 means the metric, asset or resolution is not in your Glassnode plan.',
				},
				itemIndex,
				policy,
			);
			const points = normalizeGlassnodeSeries(body, asset, metric, interval);
			observations.push(...points);
			series.push({ asset, metric, resolution: interval, since, until, count: points.length });
		}
	}
	const result: IDataObject = { count: observations.length, series, observations: observations as unknown as IDataObject[] };
	if (store && observations.length > 0) {
		const stored = await mathServiceRequest.call(
			this,
			'POST',
			'/v1/onchain/observations',
			{ source: 'glassnode', observations: observations.map(({ asset, metric, resolution, t, value }) => ({ asset, metric, resolution, t, value })) },
			itemIndex,
		);
		result.stored = stored.stored;
		result.unchanged = stored.unchanged;
		result.learned_at = stored.learned_at;
	}
	return result;
}
