export const SECRET_FILE: string;
export const TELEGRAM_SECRET_TOKEN_FILE: string;
export interface StoredSecret {
	secret: string;
	source: 'environment' | 'generated' | 'file';
	file: string | null;
}
export function webhookSecret(dataDir: string, env?: Record<string, string | undefined>): StoredSecret;
export function telegramWebhookSecretToken(dataDir: string, env?: Record<string, string | undefined>): StoredSecret;
