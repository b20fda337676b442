// Reads n8n's executions straight from its SQLite database (<userFolder>/.n8n/database.sqlite),
// read-only, so tests and `npm start` can say WHY a workflow failed (the webhook caller only sees
// "Error in workflow"). Execution data is stored by n8n in the `flatted` format.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { n8nInstallDir, N8N_OLDEST } from './ensureN8n.mjs';
import { REPO_ROOT } from './installPackage.mjs';

const requireFromRepo = createRequire(join(REPO_ROOT, 'package.json'));
// fallback: the n8n that runs on this process's node (its native modules are built for it)
const requireFromN8n = createRequire(join(n8nInstallDir(process.env, N8N_OLDEST), 'package.json'));

function load(name) {
	try {
		return requireFromRepo(name);
	} catch {
		return requireFromN8n(name);
	}
}

/**
 * Latest executions, newest first.
 * @param {string} userFolder
 * @param {{ limit?: number, workflowId?: string }} [opts]
 * @returns {{ id: number, workflowId: string, status: string, mode: string, startedAt: string, stoppedAt: string | null,
 *   lastNodeExecuted: string | null, error: { message: string, description?: string, node?: string } | null,
 *   nodes: Record<string, { status: string, error: string | null, items: unknown[] }> }[]}
 */
export function readExecutions(userFolder, opts = {}) {
	const file = join(userFolder, '.n8n', 'database.sqlite');
	if (!existsSync(file)) return [];
	const Database = load('better-sqlite3');
	const { parse } = load('flatted');
	const db = new Database(file, { readonly: true, fileMustExist: true });
	try {
		const where = opts.workflowId ? 'WHERE e."workflowId" = ?' : '';
		const rows = db
			.prepare(
				`SELECT e.id, e."workflowId", e.status, e.mode, e."startedAt", e."stoppedAt", d.data
				 FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id ${where}
				 ORDER BY e.id DESC LIMIT ?`,
			)
			.all(...(opts.workflowId ? [opts.workflowId] : []), opts.limit ?? 20);
		return rows.map((row) => {
			let data = {};
			try {
				data = row.data ? parse(row.data) : {};
			} catch {
				data = {};
			}
			const result = data.resultData ?? {};
			const nodes = {};
			for (const [name, runs] of Object.entries(result.runData ?? {})) {
				const run = runs.at(-1) ?? {};
				nodes[name] = {
					status: run.executionStatus ?? (run.error ? 'error' : 'success'),
					error: run.error ? String(run.error.message ?? run.error) : null,
					items: (run.data?.main?.[0] ?? []).map((item) => item.json),
				};
			}
			const error = result.error
				? { message: String(result.error.message ?? ''), description: result.error.description ?? undefined, node: result.error.node?.name }
				: null;
			return {
				id: row.id,
				workflowId: row.workflowId,
				status: row.status,
				mode: row.mode,
				startedAt: row.startedAt,
				stoppedAt: row.stoppedAt,
				lastNodeExecuted: result.lastNodeExecuted ?? null,
				error,
				nodes,
			};
		});
	} finally {
		db.close();
	}
}

/**
 * Published workflows whose published version is not live yet. n8n 2.41.1 applies a publication
 * asynchronously, after start-up (an outbox table the leader drains, then trigger-status rows per
 * trigger node): a workflow is applied when no publication of it is pending or in progress, its
 * published version is the active one and each of its triggers reported a status for that version.
 * 2.8.4 activates while it starts (no outbox table): always empty there.
 * @param {string} userFolder
 * @returns {{ workflowId: string, reason: string }[]}
 */
export function unappliedPublications(userFolder) {
	const file = join(userFolder, '.n8n', 'database.sqlite');
	if (!existsSync(file)) return [];
	const Database = load('better-sqlite3');
	const db = new Database(file, { readonly: true, fileMustExist: true });
	try {
		const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => row.name));
		if (!tables.has('workflow_publication_outbox')) return [];
		const out = [];
		for (const row of db.prepare(`SELECT DISTINCT "workflowId" FROM workflow_publication_outbox WHERE status IN ('pending', 'in_progress')`).all()) {
			out.push({ workflowId: row.workflowId, reason: 'publication pending' });
		}
		const active = db.prepare(`SELECT id, "activeVersionId" FROM workflow_entity WHERE "activeVersionId" IS NOT NULL`).all();
		const published = tables.has('workflow_published_version')
			? new Map(db.prepare(`SELECT "workflowId", "publishedVersionId" FROM workflow_published_version`).all().map((r) => [r.workflowId, r.publishedVersionId]))
			: null;
		const reported = tables.has('workflow_publication_trigger_status')
			? new Set(db.prepare(`SELECT DISTINCT "workflowId", "versionId" FROM workflow_publication_trigger_status`).all().map((r) => `${r.workflowId} ${r.versionId}`))
			: null;
		for (const wf of active) {
			if (out.some((u) => u.workflowId === wf.id)) continue;
			if (published && published.get(wf.id) !== wf.activeVersionId) out.push({ workflowId: wf.id, reason: 'published version not applied' });
			else if (reported && !reported.has(`${wf.id} ${wf.activeVersionId}`)) out.push({ workflowId: wf.id, reason: 'triggers not reported for the published version' });
		}
		return out;
	} finally {
		db.close();
	}
}
