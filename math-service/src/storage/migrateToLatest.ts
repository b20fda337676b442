/**
 * @module storage/migrateToLatest
 * Applies every pending migration in ./migrations with Kysely's Migrator. Safe to call on every
 * start and from several processes at once: the Migrator takes a lock table and skips migrations
 * already recorded in `kysely_migration`.
 */
import { Migrator, type Kysely } from 'kysely';
import { OperatorError } from '../errors.js';
import { migrations } from './migrations/index.js';

/** Runs pending migrations; returns the names applied by this call (empty when up to date). */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
	const migrator = new Migrator({
		// Migrations speak snake_case DDL: run them without the camelCase mapping plugin.
		db: db.withoutPlugins(),
		provider: { getMigrations: async () => migrations },
	});
	const { error, results = [] } = await migrator.migrateToLatest();
	const failed = results.find((result) => result.status === 'Error');
	if (error !== undefined) {
		const message = error instanceof Error ? error.message : String(error);
		throw new OperatorError(
			`database migration ${failed?.migrationName ?? ''} failed: ${message}`.replace('  ', ' '),
			{ cause: error },
		);
	}
	return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
