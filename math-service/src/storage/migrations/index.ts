/**
 * @module storage/migrations
 * The static list of schema migrations, applied in name order at start by `migrateToLatest`.
 * To change the schema, add `000N_what_changes.ts` exporting `up` (and `down`) and register it
 * below; never edit a migration that has been released (see ../README.md).
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_pipeline_indexes.js';
import * as m0003 from './0003_backtest_runs.js';
import * as m0004 from './0004_market_intelligence.js';
import * as m0006 from './0006_position_watch.js';
import * as m0007 from './0007_latest_close_index.js';
import * as m0008 from './0008_desk_state.js';
import * as m0010 from './0010_live_order_outbox.js';

export const migrations: Record<string, Migration> = {
	'0001_initial': m0001,
	'0002_pipeline_indexes': m0002,
	'0003_backtest_runs': m0003,
	'0004_market_intelligence': m0004,
	'0006_position_watch': m0006,
	'0007_latest_close_index': m0007,
	'0008_desk_state': m0008,
	'0010_live_order_outbox': m0010,
};
