// Types for n8nInstance.mjs (the core is plain ESM so `npm start` scripts can import it too).
export interface StartN8nOptions {
	/** Workflow JSON file paths (or parsed objects); each must carry an "id". */
	workflows?: (string | Record<string, unknown>)[];
	/** n8n credential export objects: { id, name, type, data: {...plain fields} }; n8n encrypts `data`. */
	credentials?: object[];
	/** Extra/overriding environment for every n8n process (e.g. N8N_BLOCK_ENV_ACCESS_IN_NODE). */
	env?: Record<string, string>;
	/** Pack and install the repository's package into <userFolder>/.n8n/nodes (default true). */
	installPackage?: boolean;
	/** Package to install instead of the repository root (a folder with package.json). */
	packageRoot?: string;
	/** Workflow ids to publish (default: every imported workflow). */
	publish?: string[];
	port?: number;
	userFolder?: string;
	keepUserFolder?: boolean;
	encryptionKey?: string;
	/** n8n release to run (default: the current one, N8N_CURRENT); installed on first use. */
	version?: string;
	/** An already installed n8n CLI entry (skips ensureN8nRuntime); run with `nodeBinary`. */
	n8nBin?: string;
	/** Node binary that runs `n8nBin` (default: this process's node). */
	nodeBinary?: string;
	/** Until n8n (and its workers) answer, default 300 s (2.41.1 needs over 2 min on a busy 2-core machine). */
	readyTimeoutMs?: number;
	/** Queue mode: number of `n8n worker` processes started after main (needs EXECUTIONS_MODE=queue, Redis and a
	 * Postgres database in `env`); default 0. */
	workers?: number;
	/** Executions each worker runs at once (`n8n worker --concurrency`), default 10. */
	workerConcurrency?: number;
	/** Queue mode: number of `n8n webhook` processes (each on a port of its own) that answer the production
	 * webhooks; set N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true in `env` so main leaves them alone. Default 0. */
	webhookProcesses?: number;
	/** Called with every chunk n8n writes (default: nothing; the log file has it all). */
	log?: (text: string) => void;
}

export interface N8nInstance {
	/** The n8n release running. */
	version: string;
	baseUrl: string;
	port: number;
	userFolder: string;
	logFile: string;
	installed: { name: string; version: string; dir: string; nodeFiles: string[]; credentialFiles: string[] } | null;
	/** Milliseconds per step: installPackageMs, setupMs (import + publish), bootMs (n8n start until webhooks answer), workersMs (workers and webhook processes), totalMs. */
	timings: Record<string, number>;
	webhookUrl(path: string): string;
	/** The production webhook's URL on each `n8n webhook` process (empty without them). */
	webhookProcessUrls(path: string): string[];
	logs(): string;
	/** Latest executions (newest first) read from n8n's SQLite: status, error, per-node output items. */
	executions(query?: { limit?: number; workflowId?: string }): N8nExecution[];
	/** The oldest finished execution with id > afterId (polls; n8n may answer the webhook before saving). */
	waitForExecution(query?: { workflowId?: string; afterId?: number; timeoutMs?: number }): Promise<N8nExecution>;
	/** Id of the newest execution (0 if none): take it before a request, pass it as afterId. */
	lastExecutionId(workflowId?: string): number;
	stop(): Promise<void>;
}

export interface N8nExecution {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string;
	stoppedAt: string | null;
	lastNodeExecuted: string | null;
	error: { message: string; description?: string; node?: string } | null;
	nodes: Record<string, { status: string; error: string | null; items: unknown[] }>;
}

export function startN8n(opts?: StartN8nOptions): Promise<N8nInstance>;
export function webhooksOf(workflow: { nodes: unknown[] }): { method: string; path: string }[];
