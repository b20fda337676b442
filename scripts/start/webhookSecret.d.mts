export const SECRET_FILE: string;
export function webhookSecret(
	dataDir: string,
	env?: Record<string, string | undefined>,
): { secret: string; source: 'environment' | 'generated' | 'file'; file: string | null };
