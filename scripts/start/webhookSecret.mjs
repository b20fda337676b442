// The TradingView webhook secret: TradingView cannot send headers, so every alert body carries
// `"secret"`, compared by the math service (constant time) with TRADINGVIEW_WEBHOOK_SECRET. When the
// variable is unset, `npm start` generates one (32 random bytes, hex) once and keeps it in
// <data>/tradingview-webhook-secret (mode 0600), so alerts configured in TradingView keep working
// across restarts.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'tradingview-webhook-secret';

/** @returns {{ secret: string, source: 'environment' | 'generated' | 'file', file: string | null }} */
export function webhookSecret(dataDir, env = process.env) {
	const fromEnv = env.TRADINGVIEW_WEBHOOK_SECRET?.trim();
	if (fromEnv) return { secret: fromEnv, source: 'environment', file: null };
	const file = join(dataDir, SECRET_FILE);
	if (existsSync(file)) {
		const stored = readFileSync(file, 'utf8').trim();
		if (stored) return { secret: stored, source: 'file', file };
	}
	const secret = randomBytes(32).toString('hex');
	writeFileSync(file, `${secret}\n`, { mode: 0o600 });
	chmodSync(file, 0o600);
	return { secret, source: 'generated', file };
}
