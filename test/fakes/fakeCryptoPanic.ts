// Loopback fake of the CryptoPanic posts API: GET /api/v1/posts/ and /api/free/v1/posts/ (v1
// shape, `currencies`) and /api/{developer,growth,enterprise}/v2/posts/ (v2 shape, `instruments`),
// `auth_token` required (401 "Token not found" otherwise). Posts come from
// test/fixtures/api-samples/cryptopanic/ (v1 with metadata=true or panic_score=true uses the
// metadata/panic_score sample) or `setPosts`. Applied filters: currencies (comma list), kind
// (news|media|all); other parameters are recorded, not applied. Paginated by `pageSize` with
// `next`/`previous` pointing back at the fake; page out of range → 404 {"detail": "Invalid page."}.
import type { ServerResponse } from 'node:http';

import { FailureQueue, loadErrors, loadSample, sendJson, sendSampleError, startFakeServer, type FakeBase, type FakeRequest, type SampleError } from './fakeServer';

export type CryptoPanicPost = Record<string, unknown> & { kind?: string; currencies?: { code: string }[]; instruments?: { code: string }[] };
export type PostSet = 'v1' | 'v1_metadata' | 'v2';
export type CryptoPanicErrorName = 'quota_exceeded' | 'bad_token' | 'rate_limited' | (string & {});

export interface FakeCryptoPanic extends FakeBase {
	setPosts(set: PostSet, posts: CryptoPanicPost[]): void;
	failNext(error: CryptoPanicErrorName | SampleError, times?: number): void;
	reset(): void;
}

const V1_PATH = /^\/api\/(?:free\/)?v1\/posts\/?$/;
const V2_PATH = /^\/api\/(developer|growth|enterprise)\/v2\/posts\/?$/;

export async function startFakeCryptoPanic(opts: { tokens?: string[]; pageSize?: number } = {}): Promise<FakeCryptoPanic> {
	const errors = loadErrors('cryptopanic');
	const pageSize = opts.pageSize ?? 20;
	const failures = new FailureQueue<'posts', SampleError>();
	const samples = (): Record<PostSet, CryptoPanicPost[]> => ({
		v1: loadSample<{ results: CryptoPanicPost[] }>('cryptopanic', 'posts_v1_public.json').results,
		v1_metadata: loadSample<{ results: CryptoPanicPost[] }>('cryptopanic', 'posts_v1_metadata_panic_score.json').results,
		v2: loadSample<{ results: CryptoPanicPost[] }>('cryptopanic', 'posts_v2_developer.json').results,
	});
	let posts = samples();

	const base = await startFakeServer((req: FakeRequest, res: ServerResponse) => {
		const v1 = V1_PATH.test(req.path);
		const v2 = V2_PATH.test(req.path);
		if ((!v1 && !v2) || req.method !== 'GET') return sendJson(res, 404, { detail: 'Not found.' });
		const token = req.query.auth_token;
		if (!token || (opts.tokens && !opts.tokens.includes(token))) return sendSampleError(res, errors.bad_token);
		const injected = failures.take('posts');
		if (injected) return sendSampleError(res, injected);

		const set: PostSet = v2 ? 'v2' : req.query.metadata === 'true' || req.query.panic_score === 'true' ? 'v1_metadata' : 'v1';
		const wanted = req.query.currencies ? req.query.currencies.split(',').map((code) => code.trim().toUpperCase()) : null;
		const kind = req.query.kind && req.query.kind !== 'all' ? req.query.kind : null;
		const selected = posts[set].filter((post) => {
			if (kind && post.kind !== kind) return false;
			if (!wanted) return true;
			const codes = (post.currencies ?? post.instruments ?? []).map((c) => c.code);
			return codes.some((code) => wanted.includes(code));
		});
		const page = req.query.page === undefined ? 1 : Number(req.query.page);
		const pages = Math.max(1, Math.ceil(selected.length / pageSize));
		if (!Number.isInteger(page) || page < 1 || page > pages) return sendJson(res, 404, { detail: 'Invalid page.' });
		const link = (p: number) => {
			const url = new URL(`${base.url}${req.path}`);
			for (const [k, v] of Object.entries({ ...req.query, page: String(p) })) url.searchParams.set(k, v);
			return url.toString();
		};
		sendJson(res, 200, {
			count: selected.length,
			next: page < pages ? link(page + 1) : null,
			previous: page > 1 ? link(page - 1) : null,
			results: selected.slice((page - 1) * pageSize, page * pageSize),
		});
	});

	return {
		...base,
		setPosts(set, list) {
			posts[set] = list;
		},
		failNext(error, times = 1) {
			if (typeof error === 'string' && !errors[error]) throw new Error(`cryptopanic/errors.http.json has no case "${error}"`);
			failures.add('posts', typeof error === 'string' ? errors[error] : error, times);
		},
		reset() {
			base.requests.length = 0;
			failures.clear();
			posts = samples();
		},
	};
}
