// Quick probes of the optional services, so `npm start` can say what is missing instead of the
// first alert finding out: Ollama (GET /api/tags, 1.5 s) for the advisory LLM note, and the data
// providers of the heartbeat (Binance, Glassnode, CryptoPanic) and Telegram (one GET each, 2 s).

/** @returns {Promise<{ configured: boolean, reachable: boolean, host: string | null, model: string, modelPresent: boolean | null, detail: string }>} */
export async function probeOllama(host, model) {
	if (!host) return { configured: false, reachable: false, host: null, model, modelPresent: null, detail: 'OLLAMA_HOST is not set' };
	const base = host.replace(/\/+$/, '');
	try {
		const res = await fetch(`${base}/api/tags`, { signal: AbortSignal.timeout(1500) });
		if (!res.ok) return { configured: true, reachable: false, host: base, model, modelPresent: null, detail: `GET /api/tags answered ${res.status}` };
		const body = await res.json();
		const names = (body.models ?? []).map((m) => m.name ?? m.model);
		const modelPresent = names.includes(model) || names.includes(`${model}:latest`);
		return { configured: true, reachable: true, host: base, model, modelPresent, detail: modelPresent ? 'model available' : `model ${model} not pulled (has: ${names.join(', ') || 'none'})` };
	} catch (error) {
		return { configured: true, reachable: false, host: base, model, modelPresent: null, detail: error?.cause?.code ?? error?.name ?? String(error) };
	}
}

/**
 * One GET to a data provider (2 s): reachable when it answers at all; a 401/403 answer means the
 * key or token is refused (reachable, but the workflows will fail until it is fixed).
 * @returns {Promise<{ reachable: boolean, status: number | null, detail: string }>}
 */
export async function probeHttp(url, { headers = {}, timeoutMs = 2000 } = {}) {
	try {
		const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
		await res.body?.cancel();
		const detail = res.status === 401 || res.status === 403 ? `answered ${res.status}: the key is refused` : `answered ${res.status}`;
		return { reachable: true, status: res.status, detail };
	} catch (error) {
		return { reachable: false, status: null, detail: error?.cause?.code ?? error?.name ?? String(error) };
	}
}

/**
 * Per provider of the heartbeat and the cards: configured or not, and whether it answers now.
 * Never throws: an offline machine gets "NOT reachable" lines, not a failed start.
 * @param {{ binanceBaseUrl: string, glassnode: { apiKey: string, baseUrl: string } | null,
 *   cryptoPanic: { authToken: string, baseUrl: string } | null,
 *   telegram: { token: string, baseUrl: string } | null }} p
 * @returns {Promise<{ name: string, configured: boolean, reachable: boolean | null, detail: string }[]>}
 */
export async function probeProviders({ binanceBaseUrl, glassnode, cryptoPanic, telegram }) {
	const trim = (u) => u.replace(/\/+$/, '');
	const since = Math.floor(Date.now() / 1000) - 2 * 86_400;
	const checks = [
		['Binance', true, () => probeHttp(`${trim(binanceBaseUrl)}/ping`)],
		['Glassnode', glassnode !== null, () => probeHttp(`${trim(glassnode.baseUrl)}/v1/metrics/indicators/sopr?a=BTC&i=24h&s=${since}`, { headers: { 'X-Api-Key': glassnode.apiKey } })],
		['CryptoPanic', cryptoPanic !== null, () => probeHttp(`${trim(cryptoPanic.baseUrl)}/posts/?public=true&auth_token=${encodeURIComponent(cryptoPanic.authToken)}`)],
		['Telegram', telegram !== null, () => probeHttp(`${trim(telegram.baseUrl)}/bot${telegram.token}/getMe`)],
	];
	return Promise.all(
		checks.map(async ([name, configured, probe]) => {
			if (!configured) return { name, configured, reachable: null, detail: 'not configured' };
			const r = await probe();
			return { name, configured, reachable: r.reachable, detail: r.detail };
		}),
	);
}
