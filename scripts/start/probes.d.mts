export function probeOllama(
	host: string,
	model: string,
): Promise<{ configured: boolean; reachable: boolean; host: string | null; model: string; modelPresent: boolean | null; detail: string }>;
