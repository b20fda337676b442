// The settings `npm start` itself reads, checked before anything starts: a bad one stops the start
// with its name and the reason (the math service checks its own the same way, config.ts).
//   N8N_PORT, MATH_SERVICE_PORT   integer 1–65535
//   WEBHOOK_URL                   http(s) URL (n8n's public address)
//   TELEGRAM_API_BASE_URL, GLASSNODE_BASE_URL, CRYPTOPANIC_BASE_URL, BINANCE_BASE_URL,
//   BYBIT_BASE_URL                http(s) URL
//   TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID   both or neither
//   TELEGRAM_WEBHOOK_SECRET_TOKEN 1–256 of A-Z a-z 0-9 _ - (Telegram's rule)
//   HFQ_MODE                      exactly PAPER or LIVE
const blank = (v) => v === undefined || v.trim() === '';

function checkUrl(env, name, problems) {
	if (blank(env[name])) return;
	let url;
	try {
		url = new URL(env[name].trim());
	} catch {
		problems.push(`${name}: ${JSON.stringify(env[name].trim().slice(0, 60))} is not a URL`);
		return;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`${name}: must be an http(s) URL, got ${url.protocol}`);
}

/** @returns {string[]} one line per bad setting, `NAME: reason`; empty when all are usable */
export function startSettingsProblems(env = process.env) {
	const problems = [];
	for (const name of ['N8N_PORT', 'MATH_SERVICE_PORT']) {
		if (blank(env[name])) continue;
		const text = env[name].trim();
		if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) problems.push(`${name}: ${JSON.stringify(text)} is not a port number (1-65535)`);
	}
	checkUrl(env, 'WEBHOOK_URL', problems);
	for (const name of ['TELEGRAM_API_BASE_URL', 'GLASSNODE_BASE_URL', 'CRYPTOPANIC_BASE_URL', 'BINANCE_BASE_URL', 'BYBIT_BASE_URL']) checkUrl(env, name, problems);
	if (blank(env.TELEGRAM_BOT_TOKEN) !== blank(env.TELEGRAM_CHAT_ID)) {
		problems.push(`${blank(env.TELEGRAM_BOT_TOKEN) ? 'TELEGRAM_BOT_TOKEN' : 'TELEGRAM_CHAT_ID'}: set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID together (or neither)`);
	}
	if (!blank(env.TELEGRAM_WEBHOOK_SECRET_TOKEN) && !/^[A-Za-z0-9_-]{1,256}$/.test(env.TELEGRAM_WEBHOOK_SECRET_TOKEN.trim())) {
		problems.push('TELEGRAM_WEBHOOK_SECRET_TOKEN: Telegram accepts only 1-256 of A-Z, a-z, 0-9, _ and -');
	}
	if (!blank(env.HFQ_MODE) && env.HFQ_MODE !== 'PAPER' && env.HFQ_MODE !== 'LIVE') {
		problems.push(`HFQ_MODE: ${JSON.stringify(env.HFQ_MODE)} is not "PAPER" or "LIVE"`);
	}
	return problems;
}
