/**
 * @module storage/alphaScores
 * Computed composite alpha scores, one row per symbol and computation (POST /v1/alpha, the signal
 * scan). Kept so the alpha strategy can be audited and backtested on what was known at each time.
 */
import type { Kysely } from 'kysely';
import type { AlphaScoreRow, Database } from './schema.js';

export interface AlphaScoreInput {
	symbol: string;
	computedAt: number;
	score: number | null;
	partial: boolean;
	components: unknown;
}

export function alphaScoresRepository(db: Kysely<Database>) {
	return {
		async record(input: AlphaScoreInput): Promise<void> {
			await db
				.insertInto('alphaScores')
				.values({
					symbol: input.symbol,
					computedAt: input.computedAt,
					score: input.score,
					partial: input.partial ? 1 : 0,
					componentsJson: JSON.stringify(input.components),
				})
				.execute();
		},

		/** The newest score of `symbol` computed at or before `asOf`; null when none. */
		async latestAtOrBefore(symbol: string, asOf: number): Promise<AlphaScoreRow | null> {
			const row = await db
				.selectFrom('alphaScores')
				.selectAll()
				.where('symbol', '=', symbol)
				.where('computedAt', '<=', asOf)
				.orderBy('computedAt', 'desc')
				.orderBy('id', 'desc')
				.limit(1)
				.executeTakeFirst();
			return row ?? null;
		},

		/** Scores of `symbol` computed in [fromMs, toMs), oldest first. */
		async between(symbol: string, fromMs: number, toMs: number): Promise<AlphaScoreRow[]> {
			return db
				.selectFrom('alphaScores')
				.selectAll()
				.where('symbol', '=', symbol)
				.where('computedAt', '>=', fromMs)
				.where('computedAt', '<', toMs)
				.orderBy('computedAt')
				.orderBy('id')
				.execute();
		},
	};
}

export type AlphaScoresRepository = ReturnType<typeof alphaScoresRepository>;
