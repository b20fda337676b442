/** The newest n8n that runs on Node 20; the end-to-end suite keeps testing it. */
export const N8N_OLDEST: string;
/** The current n8n 2.x release: what `npm start` runs and users self-host. */
export const N8N_CURRENT: string;
/** Every release the end-to-end suite runs on, oldest first. */
export const N8N_VERSIONS: string[];
/** Default release when none is given (the current one). */
export const N8N_VERSION: string;

/** An installed n8n release: its CLI entry, the node binary that runs it, its install folder. */
export interface N8nRuntime {
	version: string;
	bin: string;
	node: string;
	dir: string;
}

export function n8nInstallDir(env?: NodeJS.ProcessEnv, version?: string): string;
export function n8nBinPath(dir?: string): string;
/** Node.js version a release needs from the npm registry, or null when the machine's node runs it. */
export function registryNodeVersion(version?: string, machineNode?: string): string | null;
export function nodeHome(nodeVersion: string, env?: NodeJS.ProcessEnv): string;
export function nodeBinaryFor(version?: string, env?: NodeJS.ProcessEnv): string;
export function ensureNode(nodeVersion: string, opts?: { log?: (line: string) => void; env?: NodeJS.ProcessEnv }): Promise<string>;
export function n8nRuntime(version?: string, env?: NodeJS.ProcessEnv): N8nRuntime;
export interface EnsureN8nOptions {
	/** n8n release (default: the current one). */
	version?: string;
	/** Install folder (default: n8nInstallDir(env, version)). */
	dir?: string;
	log?: (line: string) => void;
	/** Where HFQ_CACHE_DIR is read from (default: process.env). */
	env?: NodeJS.ProcessEnv;
}
export function ensureN8nRuntime(opts?: EnsureN8nOptions): Promise<N8nRuntime>;
export function ensureN8n(opts?: EnsureN8nOptions): Promise<string>;
/** Runs `fn` while holding a directory lock (atomic mkdir); takes over a lock whose owner process is gone. */
export function withLock<T>(lockDir: string, fn: () => Promise<T> | T, log?: (line: string) => void): Promise<T>;
