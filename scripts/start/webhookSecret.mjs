// Secrets `npm start` generates once and keeps in the data folder (mode 0600), so what was set up
// outside this machine keeps working across restarts:
// - the TradingView webhook secret: TradingView cannot send headers, so every alert body carries
//   `"secret"`, compared by the math service (constant time) with TRADINGVIEW_WEBHOOK_SECRET;
//   file <data>/tradingview-webhook-secret;
// - the Telegram webhook secret token: Set Webhook registers it with Telegram, which sends it in
//   the X-Telegram-Bot-Api-Secret-Token header of every button press; Answer Button Press refuses
//   presses without it (constant time). It goes into the HighFreqQuant Telegram credential;
//   TELEGRAM_WEBHOOK_SECRET_TOKEN overrides it; file <data>/telegram-webhook-secret-token.
// Both are 32 random bytes in hex, which is also within Telegram's alphabet (A-Z a-z 0-9 _ -).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'tradingview-webhook-secret';
export const TELEGRAM_SECRET_TOKEN_FILE = 'telegram-webhook-secret-token';
const TELEGRAM_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

function storedSecret(dataDir, fileName, fromEnv) {
	if (fromEnv) return { secret: fromEnv, source: 'environment', file: null };
	const file = join(dataDir, fileName);
	if (existsSync(file)) {
		const stored = readFileSync(file, 'utf8').trim();
		if (stored) return { secret: stored, source: 'file', file };
	}
	const secret = randomBytes(32).toString('hex');
	writeFileSync(file, `${secret}\n`, { mode: 0o600 });
	chmodSync(file, 0o600);
	return { secret, source: 'generated', file };
}

/** @returns {{ secret: string, source: 'environment' | 'generated' | 'file', file: string | null }} */
export function webhookSecret(dataDir, env = process.env) {
	return storedSecret(dataDir, SECRET_FILE, env.TRADINGVIEW_WEBHOOK_SECRET?.trim());
}

/**
 * The Telegram webhook secret token (TELEGRAM_WEBHOOK_SECRET_TOKEN, else generated once).
 * @throws Error naming the variable when it is set outside Telegram's alphabet.
 * @returns {{ secret: string, source: 'environment' | 'generated' | 'file', file: string | null }}
 */
export function telegramWebhookSecretToken(dataDir, env = process.env) {
	const fromEnv = env.TELEGRAM_WEBHOOK_SECRET_TOKEN?.trim();
	if (fromEnv && !TELEGRAM_TOKEN_PATTERN.test(fromEnv)) {
		throw new Error('TELEGRAM_WEBHOOK_SECRET_TOKEN: Telegram accepts only 1-256 of A-Z, a-z, 0-9, _ and -');
	}
	return storedSecret(dataDir, TELEGRAM_SECRET_TOKEN_FILE, fromEnv);
}
