// Where the time of an n8n execution goes: per node, n8n records `executionTime` (ms) of each run
// in the execution data (flatted JSON in <userFolder>/.n8n/database.sqlite). The benchmark prints
// medians per node to separate n8n's own overhead from the math service's and Telegram's time.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { n8nInstallDir, N8N_OLDEST } from '../../../scripts/n8n/ensureN8n.mjs';
import { REPO_ROOT } from '../../../scripts/n8n/installPackage.mjs';

function load<T>(name: string): T {
	try {
		return createRequire(join(REPO_ROOT, 'package.json'))(name) as T;
	} catch {
		return createRequire(join(n8nInstallDir(process.env, N8N_OLDEST), 'package.json'))(name) as T; // built for this node
	}
}

export interface ExecutionTiming {
	id: number;
	/** stoppedAt − startedAt as n8n stored them (ms). */
	totalMs: number;
	nodes: Record<string, number>;
}

/** The newest `limit` executions of `workflowId` with per-node execution times. */
export function executionTimings(userFolder: string, workflowId: string, limit: number): ExecutionTiming[] {
	type Db = { prepare(sql: string): { all(...args: unknown[]): Record<string, unknown>[] }; close(): void };
	const Database = load<new (file: string, opts: object) => Db>('better-sqlite3');
	const { parse } = load<{ parse(text: string): any }>('flatted');
	const db = new Database(join(userFolder, '.n8n', 'database.sqlite'), { readonly: true, fileMustExist: true });
	try {
		const rows = db
			.prepare(
				`SELECT e.id, e."startedAt" AS started, e."stoppedAt" AS stopped, d.data FROM execution_entity e
				 LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = ? ORDER BY e.id DESC LIMIT ?`,
			)
			.all(workflowId, limit);
		return rows.map((row) => {
			const data = row.data ? parse(String(row.data)) : {};
			const nodes: Record<string, number> = {};
			for (const [name, runs] of Object.entries((data.resultData?.runData ?? {}) as Record<string, { executionTime?: number }[]>)) {
				nodes[name] = runs.reduce((sum, run) => sum + (run.executionTime ?? 0), 0);
			}
			return { id: Number(row.id), totalMs: Date.parse(String(row.stopped)) - Date.parse(String(row.started)), nodes };
		});
	} finally {
		db.close();
	}
}
