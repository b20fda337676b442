/**
 * @module storage/newsSentimentStore
 * News posts (CryptoPanic) and the sentiment snapshots computed from them. Posts are kept with
 * their latest vote counts; a snapshot is what the scorer computed at `computedAt` from the posts
 * known then, so the panic switch and a backtest read sentiment point in time
 * (`latestAtOrBefore`), never a later revision of the votes.
 */
import type { Kysely } from 'kysely';
import type { NewsPost } from '../core/alpha/newsSentiment.js';
import type { Database, SentimentSnapshot } from './schema.js';

export interface NewsPostInput {
	postId: string;
	currencies: string[];
	title: string;
	url: string | null;
	publishedAt: number;
	votes: NewsPost['votes'];
}

export interface StoredNewsPost extends NewsPost {
	postId: string;
	currencies: string[];
	title: string;
}

export type NewSentimentSnapshot = Omit<SentimentSnapshot, 'id'>;

/** Whether a post counts for `currency` ('*' = the market as a whole: every post). */
export function isTaggedWith(post: Pick<StoredNewsPost, 'currencies'>, currency: string): boolean {
	const code = currency.toUpperCase();
	return code === '*' || post.currencies.includes(code);
}

export function newsSentimentStore(db: Kysely<Database>) {
	return {
		/** Inserts new posts and refreshes the votes of known ones; returns how many were new. */
		async upsertPosts(posts: readonly NewsPostInput[], seenAt: number, source: string): Promise<{ inserted: number; updated: number }> {
			let inserted = 0;
			let updated = 0;
			for (const p of posts) {
				const votesJson = JSON.stringify(p.votes);
				const existing = await db
					.selectFrom('newsPosts')
					.select(['id', 'votesJson'])
					.where('source', '=', source)
					.where('postId', '=', p.postId)
					.executeTakeFirst();
				if (existing) {
					if (existing.votesJson !== votesJson) {
						await db.updateTable('newsPosts').set({ votesJson, votesUpdatedAt: seenAt }).where('id', '=', existing.id).execute();
						updated++;
					}
					continue;
				}
				await db
					.insertInto('newsPosts')
					.values({
						source,
						postId: p.postId,
						currencies: p.currencies.map((c) => c.toUpperCase()).join(','),
						title: p.title.slice(0, 512),
						url: p.url === null ? null : p.url.slice(0, 1024),
						publishedAt: p.publishedAt,
						firstSeenAt: seenAt,
						votesJson,
						votesUpdatedAt: seenAt,
					})
					.execute();
				inserted++;
			}
			return { inserted, updated };
		},

		/** Posts published in [fromMs, toMs] and first seen by `toMs`, tagged with `currency` ('*' = all). */
		async postsFor(currency: string, fromMs: number, toMs: number): Promise<StoredNewsPost[]> {
			const rows = await db
				.selectFrom('newsPosts')
				.selectAll()
				.where('publishedAt', '>=', fromMs)
				.where('publishedAt', '<=', toMs)
				.where('firstSeenAt', '<=', toMs)
				.orderBy('publishedAt')
				.execute();
			return rows
				.map((r) => ({
					postId: r.postId,
					currencies: r.currencies === '' ? [] : r.currencies.split(','),
					title: r.title,
					publishedAtMs: r.publishedAt,
					votes: JSON.parse(r.votesJson) as NewsPost['votes'],
				}))
				.filter((p) => isTaggedWith(p, currency));
		},

		async recordSnapshot(snapshot: NewSentimentSnapshot): Promise<void> {
			await db.insertInto('sentimentSnapshots').values(snapshot).execute();
		},

		/** Every snapshot of `currency` computed at or before `asOf`, oldest first (a backtest replays them point in time). */
		async snapshotsAsOf(currency: string, asOf: number): Promise<SentimentSnapshot[]> {
			return db
				.selectFrom('sentimentSnapshots')
				.selectAll()
				.where('currency', '=', currency.toUpperCase())
				.where('computedAt', '<=', asOf)
				.orderBy('computedAt')
				.orderBy('id')
				.execute();
		},

		/** The newest snapshot of `currency` computed at or before `asOf`; null when none. */
		async latestAtOrBefore(currency: string, asOf: number): Promise<SentimentSnapshot | null> {
			const row = await db
				.selectFrom('sentimentSnapshots')
				.selectAll()
				.where('currency', '=', currency.toUpperCase())
				.where('computedAt', '<=', asOf)
				.orderBy('computedAt', 'desc')
				.orderBy('id', 'desc')
				.limit(1)
				.executeTakeFirst();
			return row ?? null;
		},
	};
}

export type NewsSentimentStore = ReturnType<typeof newsSentimentStore>;
