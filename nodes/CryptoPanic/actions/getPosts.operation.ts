/**
 * Get Posts: the latest CryptoPanic posts for the whitelist currencies, normalised, and (by default)
 * stored in the HighFreqQuant math service, which snapshots a sentiment score and a panic score per
 * currency and for the market from the votes, point in time:
 *   sentiment = 100·(B + 1)/(B + R + 2),  panic = 100·R/(B + R)·(1 − e^(−R/scale))
 * with B, R the bullish (positive + liked) and bearish (negative + disliked + toxic) votes of the
 * posts of the last `lookback` hours, each weighted 0.5^(age / half-life) (core/alpha/newsSentiment).
 * The panic score feeds the panic switch: no new buys above its threshold.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { providerGet, providerRetryOptions, providerRetryPolicy } from '../../shared/providerTransport';
import { normalizeCryptoPanicPosts, type NormalizedPost } from './normalizePosts';

export const CRYPTOPANIC_CREDENTIAL = 'cryptoPanicApi';

export const option = {
	name: 'Get Posts',
	value: 'getPosts',
	description: 'Fetch news posts for the whitelist and snapshot sentiment and panic scores',
	action: 'Get news posts',
};

const show = { show: { operation: ['getPosts'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Currencies',
		name: 'currencies',
		type: 'string',
		default: 'BTC,ETH,SOL,AVAX,NEAR,BNB,ARB,OP,POL',
		description: 'Comma-separated currency codes (the whitelist by default)',
		displayOptions: show,
	},
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'options',
		options: [
			{ name: 'All', value: '' },
			{ name: 'Bearish', value: 'bearish' },
			{ name: 'Bullish', value: 'bullish' },
			{ name: 'Hot', value: 'hot' },
			{ name: 'Important', value: 'important' },
			{ name: 'Rising', value: 'rising' },
		],
		default: '',
		description: 'CryptoPanic `filter`: keep every post (recommended for the sentiment score) or only one kind',
		displayOptions: show,
	},
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'News', value: 'news' },
			{ name: 'Media', value: 'media' },
		],
		default: 'all',
		displayOptions: show,
	},
	{
		displayName: 'Store in HighFreqQuant',
		name: 'store',
		type: 'boolean',
		default: true,
		description: 'Whether to store the posts in the math service and snapshot sentiment and panic per currency',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'cryptoPanicOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Half-Life (Hours)',
				name: 'halfLifeHours',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 720 },
				default: 6,
				description: 'A vote loses half its weight every this many hours',
			},
			{
				displayName: 'Lookback (Hours)',
				name: 'lookbackHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 720 },
				default: 48,
				description: 'Posts older than this do not count',
			},
			{
				displayName: 'Max Pages',
				name: 'maxPages',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 1,
				description: 'Pages to read (each costs one request of your plan quota)',
			},
			{
				displayName: 'Panic Vote Scale',
				name: 'panicVoteScale',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 20,
				description: 'Decayed bearish votes at which panic reaches 63 % of the bearish share',
			},
			...providerRetryOptions('CryptoPanic'),
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const currencies = String(this.getNodeParameter('currencies', itemIndex, ''))
		.split(',')
		.map((c) => c.trim().toUpperCase())
		.filter((c) => c !== '');
	const bad = currencies.find((c) => !/^[A-Z0-9]{1,16}$/.test(c));
	if (bad !== undefined) throw new NodeOperationError(this.getNode(), `"${bad}" is not a currency code`, { itemIndex });
	const filter = this.getNodeParameter('filter', itemIndex, '') as string;
	const kind = this.getNodeParameter('kind', itemIndex, 'all') as string;
	const store = this.getNodeParameter('store', itemIndex, true) as boolean;
	const o = this.getNodeParameter('cryptoPanicOptions', itemIndex, {}) as IDataObject;
	const maxPages = Number(o.maxPages ?? 1);
	const policy = providerRetryPolicy(o);
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CRYPTOPANIC_CREDENTIAL, itemIndex);
	const baseUrl = String(credentials.baseUrl || 'https://cryptopanic.com/api/developer/v2').replace(/\/+$/, '');
	const url = `${baseUrl}/posts/`;

	const posts: NormalizedPost[] = [];
	let pages = 0;
	for (let page = 1; page <= maxPages; page++) {
		const qs: IDataObject = { public: 'true', kind };
		if (currencies.length > 0) qs.currencies = currencies.join(',');
		if (filter) qs.filter = filter;
		if (page > 1) qs.page = page;
		const body = await providerGet.call(
			this,
			{
				provider: 'CryptoPanic',
				credentialType: CRYPTOPANIC_CREDENTIAL,
				url,
				safeUrl: url,
				qs,
				authHint: 'Check the Auth Token of the CryptoPanic credential; 403 "quota exceeded" means your plan\'s requests are used up until the quota resets.',
			},
			itemIndex,
			policy,
		);
		const result = normalizeCryptoPanicPosts(body);
		posts.push(...result.posts);
		pages++;
		if (result.next === null) break;
	}
	const out: IDataObject = { count: posts.length, pages, posts: posts as unknown as IDataObject[] };
	if (store) {
		const stored = await mathServiceRequest.call(
			this,
			'POST',
			'/v1/sentiment/posts',
			{
				source: 'cryptopanic',
				currencies,
				posts: posts.map((p) => ({ id: p.id, title: p.title, url: p.url, published_at: p.published_at, currencies: p.currencies, votes: p.votes })),
				half_life_hours: Number(o.halfLifeHours ?? 6),
				panic_vote_scale: Number(o.panicVoteScale ?? 20),
				lookback_hours: Number(o.lookbackHours ?? 48),
			} as IDataObject,
			itemIndex,
		);
		out.inserted = stored.inserted;
		out.updated = stored.updated;
		out.computed_at = stored.computed_at;
		out.snapshots = stored.snapshots;
	}
	return out;
}
