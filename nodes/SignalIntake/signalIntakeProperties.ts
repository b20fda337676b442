/**
 * Signal Intake parameters, each with seed 1's value as default. The math service enforces the
 * same defaults when a parameter is absent (math-service/src/pipeline/thresholds.ts).
 *
 * Max Alert Lag 60 s: TradingView delivers within seconds of the bar close; a minute leaves room
 * for a slow network or a queued n8n while still refusing alerts whose price is no longer current
 * (a retried or replayed alert). Raise it for higher timeframes if your alerts use `{{time}}`
 * (the bar's open) — or better, set "Alert Time Is" to "Bar Open".
 */
import type { INodeProperties } from 'n8n-workflow';

export const signalIntakeProperties: INodeProperties[] = [
	{
		displayName:
			'The alert body must carry "secret" = TRADINGVIEW_WEBHOOK_SECRET of the math service. Approved alerts leave by the first output, rejected ones and repeats by the second.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Tier 1 Assets',
		name: 'tier1',
		type: 'string',
		default: 'BTC, ETH',
		description: 'Core holdings, comma-separated base assets',
	},
	{
		displayName: 'Tier 2 Assets',
		name: 'tier2',
		type: 'string',
		default: 'SOL, AVAX, NEAR, BNB',
		description: 'Established L1s, comma-separated base assets',
	},
	{
		displayName: 'Tier 3 Assets',
		name: 'tier3',
		type: 'string',
		default: 'ARB, OP, BASE, POL, MATIC',
		description:
			'Major L2s, comma-separated. MATIC is an alias of POL (renamed in 2024) and is traded as POL; BASE is a network without a token, so a BASE ticker is always rejected (no_tradable_token).',
	},
	{
		displayName: 'Max Alert Lag (Seconds)',
		name: 'maxLagSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 86400 },
		default: 60,
		description:
			'Oldest alert accepted: now minus the alert’s "time". Older alerts are rejected as stale (their price is no longer current).',
	},
	{
		displayName: 'Alert Time Is',
		name: 'alertTimeIs',
		type: 'options',
		options: [
			{
				name: 'Event Time',
				value: 'event',
				description: 'The alert’s "time" is when it fired (Pine time_close or {{timenow}})',
			},
			{
				name: 'Bar Open',
				value: 'bar_open',
				description: 'The alert’s "time" is TradingView’s {{time}}, the bar’s open: one interval is added',
			},
		],
		default: 'event',
	},
	{
		displayName: 'Restrict to TradingView IPs',
		name: 'restrictToTradingViewIps',
		type: 'boolean',
		default: false,
		description:
			'Whether to refuse alerts whose source address is not one of TradingView’s four webhook IPs. Needs a reverse proxy in front of n8n that appends X-Forwarded-For; without it every alert is refused.',
	},
	{
		displayName: 'Trusted Proxies',
		name: 'trustedProxies',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10 },
		default: 1,
		description:
			'How many reverse proxies in front of n8n append to X-Forwarded-For (1 = one proxy such as Caddy or nginx; 2 = a CDN in front of it). The source address is read that many entries from the right; entries further left are written by the caller and can be forged.',
		displayOptions: { show: { restrictToTradingViewIps: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Max Future Skew (Seconds)',
				name: 'maxFutureSkewSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 5,
				description: 'Largest accepted clock difference for alerts dated in the future',
			},
		],
	},
];
