export const N8N_VERSION: string;
export function n8nInstallDir(env?: NodeJS.ProcessEnv): string;
export function n8nBinPath(dir?: string): string;
export function ensureN8n(opts?: { dir?: string; log?: (line: string) => void }): Promise<string>;
/** Runs `fn` while holding a directory lock (atomic mkdir); takes over a lock whose owner process is gone. */
export function withLock<T>(lockDir: string, fn: () => Promise<T> | T, log?: (line: string) => void): Promise<T>;
