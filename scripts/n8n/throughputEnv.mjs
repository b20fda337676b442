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
/** @type {Readonly<Record<string, string>>} */
export const N8N_THROUGHPUT_ENV = Object.freeze({
	N8N_EXPRESSION_ENGINE: 'legacy',
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
	EXECUTIONS_DATA_PRUNE: 'true',
	EXECUTIONS_DATA_MAX_AGE: '168',
});
