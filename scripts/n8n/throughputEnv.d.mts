/** n8n settings for intake at hundreds of alerts/s (docker-compose.yml's n8n environment and the intake benchmark). */
export const N8N_THROUGHPUT_ENV: Readonly<Record<string, string>>;
/** Executions one queue-mode worker runs at a time (`n8n worker --concurrency`, .env.example's N8N_WORKER_CONCURRENCY). */
export const N8N_WORKER_CONCURRENCY: number;
