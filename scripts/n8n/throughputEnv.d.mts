/** n8n settings for intake at hundreds of alerts/s (docker-compose.yml's n8n environment and the intake benchmark). */
export const N8N_THROUGHPUT_ENV: Readonly<Record<string, string>>;
