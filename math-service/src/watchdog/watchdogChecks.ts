/**
 * @module watchdog/watchdogChecks
 * One round of the watchdog's checks, each turned into observations for advanceIncidents:
 *
 * - `math_service`: `GET <service>/health` answers 200 with a status within the timeout;
 * - `n8n`: `GET <n8n>/healthz` answers 200 (n8n's own liveness endpoint);
 * - `database`: `select 1` on the service's database (DATABASE_URL), over the watchdog's own
 *   connection, so a database that the service no longer reaches is seen even when the service is
 *   down; the connection is opened without migrating and reopened after a failure;
 * - `heartbeat:<job>`: `GET <service>/v1/heartbeat`; a job whose last successful run is older than
 *   its limit (or that never completed one) is failing. When the service does not answer at all the
 *   heartbeat checks are `unknown`: the service's own incident speaks for them.
 */
import { existsSync } from 'node:fs';
import { parseDatabaseUrl } from '../storage/parseDatabaseUrl.js';
import type { CheckObservation } from './advanceIncidents.js';
import type { WatchdogSettings } from './watchdogSettings.js';

export interface DatabaseProbe {
	/** Resolves when `select 1` answers; throws with the reason otherwise. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

export interface WatchdogCheckDeps {
	fetch?: typeof fetch;
	/** Opens the database without migrating it (injected in tests). */
	openDatabase?: (url: string, timeoutMs: number) => Promise<DatabaseProbe>;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function reasonOf(error: unknown, timeoutMs: number): string {
	const e = error as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
	if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${seconds(timeoutMs)}`;
	return e?.cause?.code ?? e?.cause?.errors?.[0]?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

async function getJson(doFetch: typeof fetch, url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
	const response = await doFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		/* not JSON: keep the text */
	}
	return { status: response.status, body };
}

async function defaultOpenDatabase(url: string, timeoutMs: number): Promise<DatabaseProbe> {
	const target = parseDatabaseUrl(url);
	// A missing SQLite file is a failure to report, not a database to create.
	if (target.dialect === 'sqlite' && target.path !== ':memory:' && !existsSync(target.path)) throw new Error(`SQLite file ${target.path} does not exist`);
	const { openStorage } = await import('../storage/openStorage.js');
	const storage = await openStorage(url, { migrate: false, mysqlConnectionLimit: 1, connectTimeoutMs: timeoutMs, busyTimeoutMs: timeoutMs });
	return { ping: () => storage.ping(), close: () => storage.close() };
}

export class WatchdogChecks {
	private database: DatabaseProbe | null = null;
	private readonly doFetch: typeof fetch;
	private readonly openDatabase: NonNullable<WatchdogCheckDeps['openDatabase']>;

	constructor(
		private readonly settings: WatchdogSettings,
		deps: WatchdogCheckDeps = {},
	) {
		this.doFetch = deps.fetch ?? fetch;
		this.openDatabase = deps.openDatabase ?? defaultOpenDatabase;
	}

	/** Every configured check, run concurrently; never throws. */
	async run(): Promise<CheckObservation[]> {
		const kinds = this.settings.checks;
		const [service, n8n, database] = await Promise.all([
			kinds.includes('service') || kinds.includes('heartbeat') ? this.checkService() : null,
			kinds.includes('n8n') ? this.checkN8n() : null,
			kinds.includes('database') ? this.checkDatabase() : null,
		]);
		const out: CheckObservation[] = [];
		if (kinds.includes('service') && service) out.push(service);
		if (n8n) out.push(n8n);
		if (database) out.push(database);
		if (kinds.includes('heartbeat')) out.push(...(await this.checkHeartbeat(service?.status === 'ok')));
		return out;
	}

	async checkService(): Promise<CheckObservation> {
		const check = 'math_service';
		try {
			const { status, body } = await getJson(this.doFetch, `${this.settings.serviceUrl}/health`, this.settings.timeoutMs);
			if (status !== 200) return { check, status: 'failing', detail: `GET /health answered HTTP ${status}` };
			const b = body as { status?: string; mode?: string };
			return { check, status: 'ok', detail: `/health ${b.status ?? 'answered'}${b.mode ? `, mode ${b.mode}` : ''}` };
		} catch (error) {
			return { check, status: 'failing', detail: `the math service at ${this.settings.serviceUrl} does not answer: ${reasonOf(error, this.settings.timeoutMs)}` };
		}
	}

	async checkN8n(): Promise<CheckObservation> {
		const check = 'n8n';
		try {
			const { status } = await getJson(this.doFetch, `${this.settings.n8nUrl}/healthz`, this.settings.timeoutMs);
			return status === 200 ? { check, status: 'ok', detail: '/healthz ok' } : { check, status: 'failing', detail: `n8n's /healthz answered HTTP ${status}` };
		} catch (error) {
			return { check, status: 'failing', detail: `n8n at ${this.settings.n8nUrl} does not answer: ${reasonOf(error, this.settings.timeoutMs)}` };
		}
	}

	async checkDatabase(): Promise<CheckObservation> {
		const check = 'database';
		const timeoutMs = this.settings.timeoutMs;
		let timer: NodeJS.Timeout | undefined;
		try {
			const attempt = (async () => {
				this.database ??= await this.openDatabase(this.settings.databaseUrl, timeoutMs);
				await this.database.ping();
			})();
			attempt.catch(() => undefined);
			await Promise.race([attempt, new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs)))]);
			return { check, status: 'ok', detail: 'select 1 answered' };
		} catch (error) {
			const stale = this.database;
			this.database = null;
			await stale?.close().catch(() => undefined);
			return { check, status: 'failing', detail: `the database does not answer a query: ${reasonOf(error, timeoutMs)}` };
		} finally {
			clearTimeout(timer);
		}
	}

	async checkHeartbeat(serviceUp: boolean): Promise<CheckObservation[]> {
		const limits = Object.entries(this.settings.heartbeatMaxAgeMs);
		const all = (status: CheckObservation['status'], detail: string) => limits.map(([job]) => ({ check: `heartbeat:${job}`, status, detail }));
		if (!serviceUp) return all('unknown', 'the math service does not answer');
		let rows: { job: string; age_ms: number | null; last_success_at: number | null }[];
		try {
			const headers: Record<string, string> = this.settings.apiKey ? { 'x-api-key': this.settings.apiKey } : {};
			const { status, body } = await getJson(this.doFetch, `${this.settings.serviceUrl}/v1/heartbeat`, this.settings.timeoutMs, headers);
			if (status === 401) return all('failing', 'GET /v1/heartbeat refused the watchdog (401): set MATH_SERVICE_API_KEY to the service’s key');
			if (status !== 200) return all('failing', `GET /v1/heartbeat answered HTTP ${status}: ${JSON.stringify(body).slice(0, 200)}`);
			rows = (body as { jobs?: typeof rows }).jobs ?? [];
		} catch (error) {
			return all('failing', `GET /v1/heartbeat failed: ${reasonOf(error, this.settings.timeoutMs)}`);
		}
		return limits.map(([job, maxAgeMs]) => {
			const check = `heartbeat:${job}`;
			const row = rows.find((r) => r.job === job);
			if (!row || row.age_ms === null || row.age_ms === undefined) return { check, status: 'failing' as const, detail: `${job} has not completed a run (limit ${seconds(maxAgeMs)})` };
			if (row.age_ms > maxAgeMs) return { check, status: 'failing' as const, detail: `${job} last completed a run ${seconds(row.age_ms)} ago (limit ${seconds(maxAgeMs)})` };
			return { check, status: 'ok' as const, detail: `${job} last completed a run ${seconds(row.age_ms)} ago` };
		});
	}

	async close(): Promise<void> {
		await this.database?.close().catch(() => undefined);
		this.database = null;
	}
}
