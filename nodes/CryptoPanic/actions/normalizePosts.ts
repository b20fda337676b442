/**
 * CryptoPanic posts as the desk stores them: `{id, title, url, published_at, currencies, votes}`.
 * API v1 tags coins in `currencies`, v2 in `instruments`; a post without a tagged coin has neither
 * key. `votes.positive`/`liked` are bullish votes, `negative`/`disliked`/`toxic` bearish ones.
 */
export interface NormalizedPost {
	id: string;
	title: string;
	url: string | null;
	published_at: string;
	currencies: string[];
	votes: Record<string, number>;
	kind: string | null;
	source: string | null;
}

const VOTE_KEYS = ['positive', 'negative', 'important', 'liked', 'disliked', 'lol', 'toxic', 'saved', 'comments'];

export function normalizeCryptoPanicPosts(body: unknown): { posts: NormalizedPost[]; next: string | null } {
	if (body === null || typeof body !== 'object' || !Array.isArray((body as { results?: unknown }).results)) {
		throw new Error('CryptoPanic answered without a "results" list');
	}
	const { results, next } = body as { results: unknown[]; next?: unknown };
	const posts: NormalizedPost[] = [];
	for (const raw of results) {
		if (raw === null || typeof raw !== 'object') continue;
		const p = raw as Record<string, unknown>;
		const published = typeof p.published_at === 'string' ? p.published_at : typeof p.created_at === 'string' ? p.created_at : null;
		if (p.id === undefined || published === null || !Number.isFinite(Date.parse(published))) continue;
		const tags = (Array.isArray(p.currencies) ? p.currencies : Array.isArray(p.instruments) ? p.instruments : []) as { code?: unknown }[];
		const votesIn = (p.votes && typeof p.votes === 'object' ? p.votes : {}) as Record<string, unknown>;
		const votes: Record<string, number> = {};
		for (const key of VOTE_KEYS) {
			const v = votesIn[key];
			if (typeof v === 'number' && Number.isFinite(v) && v >= 0) votes[key] = v;
		}
		const source = p.source && typeof p.source === 'object' ? (p.source as { title?: unknown }).title : null;
		posts.push({
			id: String(p.id),
			title: typeof p.title === 'string' ? p.title : '',
			url: typeof p.original_url === 'string' ? p.original_url : typeof p.url === 'string' ? p.url : null,
			published_at: new Date(Date.parse(published)).toISOString(),
			currencies: tags.map((t) => String(t.code ?? '').toUpperCase()).filter((c) => c !== ''),
			votes,
			kind: typeof p.kind === 'string' ? p.kind : null,
			source: typeof source === 'string' ? source : null,
		});
	}
	return { posts, next: typeof next === 'string' && next !== '' ? next : null };
}
