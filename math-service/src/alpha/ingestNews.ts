/**
 * @module alpha/ingestNews
 * Stores a batch of news posts (CryptoPanic) and snapshots the sentiment and panic scores of each
 * currency, and of the market as a whole ('*'), from the posts known now
 * (core/alpha/newsSentiment). The snapshot is the point-in-time record the panic switch and the
 * alpha score read; posts keep their latest votes.
 */
import { newsSentiment, NEWS_SENTIMENT_DEFAULTS, type NewsSentimentOptions } from '../core/alpha/newsSentiment.js';
import { isTaggedWith, type NewsPostInput } from '../storage/newsSentimentStore.js';
import type { Repositories } from '../storage/openStorage.js';

export interface IngestNewsOptions extends Omit<NewsSentimentOptions, 'nowMs'> {
	nowMs: number;
	/** Currencies to snapshot besides the market as a whole. */
	currencies: readonly string[];
	source: string;
}

export interface CurrencySentiment {
	currency: string;
	sentimentScore: number | null;
	panicScore: number | null;
	postCount: number;
}

export async function ingestNews(
	repos: Repositories,
	posts: readonly NewsPostInput[],
	options: IngestNewsOptions,
): Promise<{ inserted: number; updated: number; snapshots: CurrencySentiment[] }> {
	const { inserted, updated } = await repos.news.upsertPosts(posts, options.nowMs, options.source);
	const lookbackMs = options.lookbackMs ?? NEWS_SENTIMENT_DEFAULTS.lookbackMs;
	const snapshots: CurrencySentiment[] = [];
	// one read of the window; each currency's posts are a filter of it
	const window = await repos.news.postsFor('*', options.nowMs - lookbackMs, options.nowMs);
	for (const currency of ['*', ...new Set(options.currencies.map((c) => c.toUpperCase()))]) {
		const known = window.filter((post) => isTaggedWith(post, currency));
		const s = newsSentiment(known, { ...options, lookbackMs });
		await repos.news.recordSnapshot({
			currency,
			computedAt: options.nowMs,
			sentimentScore: s.sentimentScore,
			panicScore: s.panicScore,
			postCount: s.postCount,
			bullishVotes: s.bullishVotes,
			bearishVotes: s.bearishVotes,
			source: options.source,
		});
		snapshots.push({ currency, sentimentScore: s.sentimentScore, panicScore: s.panicScore, postCount: s.postCount });
	}
	return { inserted, updated, snapshots };
}
