/**
 * @module alpha/newsSentiment
 * Sentiment and panic from news votes (CryptoPanic): readers vote each post bullish ("positive",
 * "liked") or bearish ("negative", "disliked", "toxic"). Recent votes matter more than old ones.
 *
 * Formula, for the posts of one currency published at or before `nowMs` (point in time: a post
 * published later is not seen):
 *   wᵢ = 0.5^(ageᵢ / halfLifeMs)                      time decay, age = nowMs − publishedAtMs
 *   B  = Σ wᵢ·(positiveᵢ + likedᵢ)                     decayed bullish votes
 *   R  = Σ wᵢ·(negativeᵢ + dislikedᵢ + toxicᵢ)          decayed bearish votes
 *   sentimentScore = 100 · (B + a) / (B + R + 2a)       a = priorVotes (Laplace smoothing): 50 = neutral,
 *                                                      > 50 bullish, never exactly 0 or 100
 *   panicScore     = 100 · R/(B + R) · (1 − e^(−R / panicVoteScale))
 *                    the bearish share, scaled by how much bearish voting there is: one angry vote
 *                    is not a panic (≈ 5 with the default scale 20), a flood of mostly bearish votes is.
 * With no post at all both scores are null (missing, never a silent neutral); posts without votes
 * give sentiment 50 and panic 0. Source for the vote fields: CryptoPanic API v1 `votes` object.
 */

export interface NewsPost {
	publishedAtMs: number;
	votes: {
		positive?: number;
		negative?: number;
		liked?: number;
		disliked?: number;
		toxic?: number;
		important?: number;
	};
}

export interface NewsSentimentOptions {
	nowMs: number;
	/** Votes lose half their weight every `halfLifeMs` (default 6 h). */
	halfLifeMs?: number;
	/** Laplace prior in votes on each side (default 1). */
	priorVotes?: number;
	/** Decayed bearish votes at which panic reaches 63 % of the bearish share (default 20). */
	panicVoteScale?: number;
	/** Posts older than this are ignored (default 48 h). */
	lookbackMs?: number;
}

export interface NewsSentiment {
	/** 0–100, 50 neutral; null when no post was published in the lookback window. */
	sentimentScore: number | null;
	/** 0–100, 0 calm; null when no post was published in the lookback window. */
	panicScore: number | null;
	postCount: number;
	bullishVotes: number;
	bearishVotes: number;
}

export const NEWS_SENTIMENT_DEFAULTS = {
	halfLifeMs: 6 * 3_600_000,
	priorVotes: 1,
	panicVoteScale: 20,
	lookbackMs: 48 * 3_600_000,
} as const;

export function newsSentiment(posts: readonly NewsPost[], options: NewsSentimentOptions): NewsSentiment {
	const { nowMs } = options;
	const halfLifeMs = options.halfLifeMs ?? NEWS_SENTIMENT_DEFAULTS.halfLifeMs;
	const prior = options.priorVotes ?? NEWS_SENTIMENT_DEFAULTS.priorVotes;
	const scale = options.panicVoteScale ?? NEWS_SENTIMENT_DEFAULTS.panicVoteScale;
	const lookbackMs = options.lookbackMs ?? NEWS_SENTIMENT_DEFAULTS.lookbackMs;
	let bull = 0;
	let bear = 0;
	let postCount = 0;
	for (const post of posts) {
		const age = nowMs - post.publishedAtMs;
		if (!(age >= 0) || age > lookbackMs) continue;
		const w = 0.5 ** (age / halfLifeMs);
		const v = post.votes;
		bull += w * (count(v.positive) + count(v.liked));
		bear += w * (count(v.negative) + count(v.disliked) + count(v.toxic));
		postCount++;
	}
	if (postCount === 0) {
		return { sentimentScore: null, panicScore: null, postCount, bullishVotes: 0, bearishVotes: 0 };
	}
	const sentimentScore = (100 * (bull + prior)) / (bull + bear + 2 * prior);
	const bearShare = bull + bear > 0 ? bear / (bull + bear) : 0;
	const panicScore = 100 * bearShare * (1 - Math.exp(-bear / scale));
	return { sentimentScore, panicScore, postCount, bullishVotes: bull, bearishVotes: bear };
}

/** A vote count as a non-negative finite number (absent or malformed counts are 0). */
function count(x: number | undefined): number {
	return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0;
}
