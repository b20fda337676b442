// Quick probes of the optional services, so `npm start` can say what is missing instead of the
// first alert finding out: Ollama (GET /api/tags, 1.5 s) for the advisory LLM note.

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
