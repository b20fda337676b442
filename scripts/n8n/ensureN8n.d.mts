export const N8N_VERSION: string;
export function n8nInstallDir(env?: NodeJS.ProcessEnv): string;
export function n8nBinPath(dir?: string): string;
export function ensureN8n(opts?: { dir?: string; log?: (line: string) => void }): Promise<string>;
