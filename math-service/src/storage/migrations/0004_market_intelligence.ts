/**
 * @module storage/migrations/0004_market_intelligence
 * Point-in-time stores for the information edge (seed 2): on-chain observations (Glassnode),
 * news posts and sentiment snapshots (CryptoPanic) and computed alpha scores. Every row carries the
 * time we learned or computed it, so a score or a backtest at time T reads only what was known at T.
 * Columns and units: ../schema.ts.
 */
import type { Kysely } from 'kysely';
import { isMysql, jsonTextType, tableOptions } from './dialectDdl.js';

export async function up(db: Kysely<unknown>): Promise<void> {
	const json = jsonTextType(db);
	const options = await tableOptions(db);
	await db.schema
		.createTable('onchain_observations')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('asset', 'varchar(16)', (c) => c.notNull())
		.addColumn('metric', 'varchar(64)', (c) => c.notNull())
		.addColumn('resolution', 'varchar(16)', (c) => c.notNull())
		.addColumn('period_start', 'bigint', (c) => c.notNull())
		.addColumn('value', 'double precision')
		.addColumn('learned_at', 'bigint', (c) => c.notNull())
		.addColumn('source', 'varchar(32)', (c) => c.notNull())
		.addUniqueConstraint('onchain_observations_version', ['asset', 'metric', 'resolution', 'period_start', 'learned_at'])
		.modifyEnd(options)
		.execute();
	await db.schema
		.createIndex('onchain_observations_known')
		.ifNotExists()
		.on('onchain_observations')
		.columns(['asset', 'metric', 'resolution', 'learned_at'])
		.execute();

	await db.schema
		.createTable('news_posts')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('source', 'varchar(32)', (c) => c.notNull())
		.addColumn('post_id', 'varchar(64)', (c) => c.notNull())
		.addColumn('currencies', 'varchar(255)', (c) => c.notNull())
		.addColumn('title', 'varchar(512)', (c) => c.notNull())
		.addColumn('url', 'varchar(1024)')
		.addColumn('published_at', 'bigint', (c) => c.notNull())
		.addColumn('first_seen_at', 'bigint', (c) => c.notNull())
		.addColumn('votes_json', json, (c) => c.notNull())
		.addColumn('votes_updated_at', 'bigint', (c) => c.notNull())
		.addUniqueConstraint('news_posts_source_post', ['source', 'post_id'])
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('news_posts_published').ifNotExists().on('news_posts').columns(['published_at']).execute();

	await db.schema
		.createTable('sentiment_snapshots')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('currency', 'varchar(16)', (c) => c.notNull())
		.addColumn('computed_at', 'bigint', (c) => c.notNull())
		.addColumn('sentiment_score', 'double precision')
		.addColumn('panic_score', 'double precision')
		.addColumn('post_count', 'integer', (c) => c.notNull())
		.addColumn('bullish_votes', 'double precision', (c) => c.notNull())
		.addColumn('bearish_votes', 'double precision', (c) => c.notNull())
		.addColumn('source', 'varchar(32)', (c) => c.notNull())
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('sentiment_snapshots_latest').ifNotExists().on('sentiment_snapshots').columns(['currency', 'computed_at']).execute();

	await db.schema
		.createTable('alpha_scores')
		.ifNotExists()
		.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
		.addColumn('symbol', 'varchar(64)', (c) => c.notNull())
		.addColumn('computed_at', 'bigint', (c) => c.notNull())
		.addColumn('score', 'double precision')
		.addColumn('partial', 'integer', (c) => c.notNull())
		.addColumn('components_json', json, (c) => c.notNull())
		.modifyEnd(options)
		.execute();
	await db.schema.createIndex('alpha_scores_latest').ifNotExists().on('alpha_scores').columns(['symbol', 'computed_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
	const drops: [string, string][] = [
		['alpha_scores_latest', 'alpha_scores'],
		['sentiment_snapshots_latest', 'sentiment_snapshots'],
		['news_posts_published', 'news_posts'],
		['onchain_observations_known', 'onchain_observations'],
	];
	for (const [index, table] of drops) {
		if (isMysql(db)) await db.schema.dropIndex(index).on(table).execute();
		else await db.schema.dropIndex(index).execute();
		await db.schema.dropTable(table).execute();
	}
}
