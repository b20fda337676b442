// n8n settings for intake at TradingView's burst rate (hundreds of alerts/s through the webhook):
// the production environment in docker-compose.yml and the intake benchmark use exactly these.
// - N8N_EXPRESSION_ENGINE=legacy: n8n ≥ 2.41 evaluates expressions in a fresh isolated-vm isolate
//   per execution by default ('vm'); building and disposing one per alert cost ~60 % of n8n's CPU
//   (30 alerts/s instead of 75 on two cores). 'legacy' is the in-process evaluator every earlier
//   release used. Releases without the setting ignore it.
// - EXECUTIONS_DATA_SAVE_ON_SUCCESS=none: a decision already lives in the math service's database;
//   keeping every successful execution's data in n8n's own database doubles its writes. Failed
//   executions are still saved (EXECUTIONS_DATA_SAVE_ON_ERROR=all), progress never is.
// - pruning on, a week of executions kept.
// - DB_POSTGRESDB_POOL_SIZE=10 (n8n's default 2): main and every worker run many executions at
//   once, each with several queries. Under overload n8n still answers some webhooks 503 (its
//   "database is not ready" answer, when its health ping to the database times out): measured with
//   2 and with 10 on a saturated 2-core machine. SQLite ignores it.
// - a queue-mode worker runs N8N_WORKER_CONCURRENCY executions at a time: an alert's execution
//   mostly waits on the math service and the databases, so n8n's default of 10 caps one worker at
//   ~65 alerts/s whatever its CPU.
/** @type {Readonly<Record<string, string>>} */
export const N8N_THROUGHPUT_ENV = Object.freeze({
	N8N_EXPRESSION_ENGINE: 'legacy',
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
	EXECUTIONS_DATA_PRUNE: 'true',
	EXECUTIONS_DATA_MAX_AGE: '168',
	DB_POSTGRESDB_POOL_SIZE: '10',
});

/** Executions one queue-mode worker runs at a time (`n8n worker --concurrency`, .env.example's N8N_WORKER_CONCURRENCY). */
export const N8N_WORKER_CONCURRENCY = 50;
