// n8n's queue mode for a test or a benchmark run, on the machine's real Postgres (n8n's own database
// in queue mode: 127.0.0.1:5432, user postgres, trust auth) and Redis: a throw-away database
// hfq_n8n_<random> and a Bull key prefix of the run's own, both removed by `drop()`.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const POSTGRES = { host: '127.0.0.1', port: '5432', user: 'postgres' };
export const REDIS = { host: '127.0.0.1', port: '6379' };

function psql(sql: string): void {
	execFileSync('psql', ['-h', POSTGRES.host, '-p', POSTGRES.port, '-U', POSTGRES.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Why queue mode cannot run here (no `psql`, or Postgres does not answer), or null. */
export function postgresMissing(): string | null {
	const probe = spawnSync('psql', ['-h', POSTGRES.host, '-p', POSTGRES.port, '-U', POSTGRES.user, '-d', 'postgres', '-qtc', 'select 1'], { encoding: 'utf8' });
	if (probe.error) return 'psql is not installed (PostgreSQL client)';
	return probe.status === 0 ? null : `PostgreSQL does not answer at ${POSTGRES.host}:${POSTGRES.port} as ${POSTGRES.user} (${(probe.stderr || '').trim().split('\n')[0]})`;
}

/** n8n's environment for queue mode on a throw-away Postgres database and Redis key prefix. */
export function n8nQueueMode(label = 'run'): { env: Record<string, string>; drop(): void } {
	const id = randomBytes(4).toString('hex');
	const database = `hfq_n8n_${label}_${id}`;
	const prefix = `hfq-n8n-${label}-${id}`;
	psql(`CREATE DATABASE ${database}`);
	return {
		env: {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: REDIS.host,
			QUEUE_BULL_REDIS_PORT: REDIS.port,
			QUEUE_BULL_PREFIX: prefix,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: POSTGRES.host,
			DB_POSTGRESDB_PORT: POSTGRES.port,
			DB_POSTGRESDB_USER: POSTGRES.user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: database,
		},
		drop: () => {
			psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
			// n8n's job keys of this run (finished and failed jobs stay in Redis)
			const keys = execFileSync('redis-cli', ['-h', REDIS.host, '-p', REDIS.port, '--scan', '--pattern', `${prefix}:*`], { encoding: 'utf8' }).split('\n').filter(Boolean);
			for (let i = 0; i < keys.length; i += 500) execFileSync('redis-cli', ['-h', REDIS.host, '-p', REDIS.port, 'del', ...keys.slice(i, i + 500)], { stdio: 'ignore' });
		},
	};
}
