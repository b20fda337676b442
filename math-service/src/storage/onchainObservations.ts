/**
 * @module storage/onchainObservations
 * On-chain metrics stored point in time. Glassnode revises recent values and publishes a period's
 * value only after it ends, so each row is "value v for period t, as learned at time L". Recording a
 * fetch stores only what is new or changed; reading "as of" time T returns, for each period, the
 * latest value learned at or before T — what a live scorer knew then, and all a backtest may use.
 */
import type { Kysely } from 'kysely';
import type { Database, OnchainObservation } from './schema.js';

export interface ObservationInput {
	asset: string;
	metric: string;
	resolution: string;
	periodStart: number;
	value: number | null;
}

export interface KnownValue {
	periodStart: number;
	value: number | null;
	learnedAt: number;
}

export function onchainObservationsRepository(db: Kysely<Database>) {
	/** Every version learned at or before `asOf`, oldest period first. */
	const versions = (asset: string, metric: string, resolution: string, asOf: number): Promise<OnchainObservation[]> =>
		db
			.selectFrom('onchainObservations')
			.selectAll()
			.where('asset', '=', asset)
			.where('metric', '=', metric)
			.where('resolution', '=', resolution)
			.where('learnedAt', '<=', asOf)
			.orderBy('periodStart')
			.orderBy('learnedAt')
			.execute();

	return {
		/**
		 * Stores the observations of one fetch learned at `learnedAt`; a value equal to the latest
		 * known for its period is not stored again. Returns how many rows were new or revisions.
		 */
		async record(observations: readonly ObservationInput[], learnedAt: number, source: string): Promise<{ stored: number; unchanged: number }> {
			let stored = 0;
			let unchanged = 0;
			const groups = new Map<string, ObservationInput[]>();
			for (const o of observations) {
				const key = `${o.asset}\u0000${o.metric}\u0000${o.resolution}`;
				const list = groups.get(key) ?? [];
				list.push(o);
				groups.set(key, list);
			}
			for (const list of groups.values()) {
				const first = list[0]!;
				const known = new Map<number, number | null>();
				for (const row of await versions(first.asset, first.metric, first.resolution, Number.MAX_SAFE_INTEGER)) known.set(row.periodStart, row.value);
				const rows = [];
				for (const o of list) {
					if (known.has(o.periodStart) && known.get(o.periodStart) === o.value) {
						unchanged++;
						continue;
					}
					known.set(o.periodStart, o.value);
					rows.push({ ...o, learnedAt, source });
				}
				if (rows.length > 0) await db.insertInto('onchainObservations').values(rows).execute();
				stored += rows.length;
			}
			return { stored, unchanged };
		},

		/** Per period, the value known at `asOf` (the latest version learned by then), oldest first; the last `limit` periods. */
		async asOf(asset: string, metric: string, resolution: string, asOf: number, limit = 500): Promise<KnownValue[]> {
			const latest = new Map<number, KnownValue>();
			for (const row of await versions(asset, metric, resolution, asOf)) {
				latest.set(row.periodStart, { periodStart: row.periodStart, value: row.value, learnedAt: row.learnedAt });
			}
			const values = [...latest.values()].sort((a, b) => a.periodStart - b.periodStart);
			return values.slice(Math.max(0, values.length - limit));
		},

		/** Every version learned at or before `asOf` (revisions included), oldest period first: what a backtest replays point in time. */
		async versionsAsOf(asset: string, metric: string, resolution: string, asOf: number): Promise<KnownValue[]> {
			return (await versions(asset, metric, resolution, asOf)).map((row) => ({ periodStart: Number(row.periodStart), value: row.value === null ? null : Number(row.value), learnedAt: Number(row.learnedAt) }));
		},

		/** The newest period start stored for a series (to fetch incrementally); null when none. */
		async latestPeriodStart(asset: string, metric: string, resolution: string): Promise<number | null> {
			const row = await db
				.selectFrom('onchainObservations')
				.select((eb) => eb.fn.max('periodStart').as('latest'))
				.where('asset', '=', asset)
				.where('metric', '=', metric)
				.where('resolution', '=', resolution)
				.executeTakeFirst();
			return row?.latest === null || row?.latest === undefined ? null : Number(row.latest);
		},
	};
}

export type OnchainObservationsRepository = ReturnType<typeof onchainObservationsRepository>;
