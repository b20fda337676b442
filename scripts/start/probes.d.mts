export function probeOllama(
	host: string,
	model: string,
): Promise<{ configured: boolean; reachable: boolean; host: string | null; model: string; modelPresent: boolean | null; detail: string }>;
export function probeHttp(url: string, opts?: { headers?: Record<string, string>; timeoutMs?: number }): Promise<{ reachable: boolean; status: number | null; detail: string }>;
export function probeProviders(p: {
	binanceBaseUrl: string;
	glassnode: { apiKey: string; baseUrl: string } | null;
	cryptoPanic: { authToken: string; baseUrl: string } | null;
	telegram: { token: string; baseUrl: string } | null;
}): Promise<{ name: string; configured: boolean; reachable: boolean | null; detail: string }[]>;
