// docker-compose.yml, its Dockerfiles, .env.example, Caddyfile and .dockerignore, checked without a
// Docker engine: the file is valid against the Compose Specification's JSON schema once interpolated
// the way compose does it, every variable it uses is listed in .env.example (and vice versa), it
// refuses to start without the secrets, and the properties the deployment relies on hold (pinned
// images, health checks, queue mode sharing one key and one Redis, no database port published,
// a non-root math service, the init step's credential URL).
import Ajv from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	environmentOf,
	interpolate,
	interpolateAll,
	InterpolationError,
	parseDotEnv,
	publishedPorts,
	rawCompose,
	readRepoFile,
	REPO,
	stringsIn,
	variablesIn,
	type Compose,
} from './composeModel';
import { N8N_THROUGHPUT_ENV, N8N_WORKER_CONCURRENCY } from '../../scripts/n8n/throughputEnv.mjs';

const raw = rawCompose();
const dotEnvExample = parseDotEnv(readRepoFile('.env.example'));
/** .env.example with every empty secret filled, as a user's .env would be. */
const filledEnv: Record<string, string> = Object.fromEntries([...dotEnvExample].map(([k, v]) => [k, v === '' ? `test-${k.toLowerCase()}` : v]));
const compose: Compose = interpolateAll(raw, filledEnv);
const services = compose.services;
const usedVariables = new Set(stringsIn(raw).flatMap(variablesIn));

/** The compose-spec schema compiled; it names draft-07 by its https address, which ajv knows as http. */
function composeSchema() {
	const ajv = new Ajv({ allErrors: true, strict: false });
	ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
	return ajv.compile(JSON.parse(readRepoFile('test/fixtures/compose-spec/compose-spec.json')));
}

const LONG_RUNNING = Object.keys(services).filter((name) => services[name]?.restart !== 'no');
const N8N_PROCESSES = ['n8n', 'n8n-worker', 'n8n-webhook', 'n8n-init'];

describe('compose model helpers', () => {
	it('interpolates like compose: defaults, required values, $$ escapes', () => {
		expect(interpolate('${A:-x}/${B-y}/$$HOME/${C}', { A: '', B: '', C: 'c' })).toBe('x//$HOME/c');
		expect(() => interpolate('${S:?set S}', { S: '' })).toThrow(InterpolationError);
		expect(interpolate('${S?set S}', { S: '' })).toBe('');
		expect(variablesIn('a ${X:-${Y}} $$Z $W')).toEqual(['X', 'Y', 'W']);
	});
});

describe('docker-compose.yml against the Compose Specification', () => {
	it('is valid against the compose-spec JSON schema after interpolation', () => {
		const validate = composeSchema();
		const valid = validate(compose);
		expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
		expect(valid).toBe(true);
	});

	it('the schema rejects what compose rejects (a misspelt key)', () => {
		const validate = composeSchema();
		const broken = structuredClone(compose);
		(broken.services['math-service'] as Record<string, unknown>).helthcheck = { test: ['CMD', 'true'] };
		expect(validate(broken)).toBe(false);
	});
});

describe('.env.example', () => {
	it('lists every variable the compose file uses', () => {
		const missing = [...usedVariables].filter((name) => !dotEnvExample.has(name));
		expect(missing).toEqual([]);
	});

	it('lists no variable the compose file ignores', () => {
		const unused = [...dotEnvExample.keys()].filter((name) => !usedVariables.has(name));
		expect(unused).toEqual([]);
	});

	it('defaults to PAPER trading and leaves every secret empty, so compose refuses to start without them', () => {
		expect(dotEnvExample.get('HFQ_MODE')).toBe('PAPER');
		const required = new Set<string>();
		const env = Object.fromEntries(dotEnvExample);
		for (const text of stringsIn(raw)) {
			for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):\?/g)) {
				required.add(m[1] as string);
				expect(() => interpolate(text, env), `${m[1]} empty`).toThrow(InterpolationError);
			}
		}
		expect([...required].sort()).toEqual(
			['MATH_SERVICE_API_KEY', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'N8N_ENCRYPTION_KEY', 'N8N_POSTGRES_PASSWORD', 'TRADINGVIEW_WEBHOOK_SECRET'].sort(),
		);
		for (const name of required) expect(dotEnvExample.get(name), name).toBe('');
	});
});

describe('images', () => {
	it('pins every image to a version (no latest, no bare major)', () => {
		for (const [name, service] of Object.entries(services)) {
			if (service.build) continue; // built here: their FROM lines are checked below
			expect(service.image, name).toMatch(/^[a-z0-9./_-]+:\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/);
		}
	});

	it('builds FROM pinned base images, n8n from the official image', () => {
		for (const file of ['docker/n8n.Dockerfile', 'docker/math-service.Dockerfile']) {
			const text = readRepoFile(file);
			for (const m of text.matchAll(/^ARG (\w+_IMAGE)=(\S+)$/gm)) expect(m[2], `${file} ${m[1]}`).toMatch(/:\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/);
			for (const m of text.matchAll(/^FROM (\S+)/gm)) expect(m[1], `${file} FROM`).toMatch(/^(\$\{\w+_IMAGE\}|[a-z0-9./_-]+:\d+\.\d+\.\d+\S*)$/);
		}
		expect(readRepoFile('docker/n8n.Dockerfile')).toMatch(/^ARG N8N_IMAGE=n8nio\/n8n:2\.\d+\.\d+$/m);
	});

	it('the n8n image carries the init script, every module it imports and the workflows', () => {
		const dockerfile = readRepoFile('docker/n8n.Dockerfile');
		const copied = [...dockerfile.matchAll(/^COPY --chown=node:node (\S+) \/opt\/highfreqquant\/(\S+)$/gm)].map((m) => {
			expect(m[2], 'copied to the same relative path').toBe(m[1]);
			return m[1] as string;
		});
		const needed = new Set<string>();
		const visit = (file: string) => {
			if (needed.has(file)) return;
			needed.add(file);
			for (const m of readRepoFile(file).matchAll(/from '(\.{1,2}\/[^']+)'/g)) visit(join(dirname(file), m[1] as string));
		};
		visit('scripts/n8n/initN8n.mjs');
		for (const file of needed) expect(copied.some((c) => file === c || file.startsWith(`${c}/`)), `${file} in the image`).toBe(true);
		expect(copied).toContain('workflows');
	});

	it('the package stage has every script its build and npm pack run', () => {
		const dockerfile = readRepoFile('docker/n8n.Dockerfile');
		const stage = dockerfile.slice(dockerfile.indexOf(' AS package'), dockerfile.indexOf('\nFROM ${N8N_IMAGE}'));
		const copied = [...stage.matchAll(/^COPY (\S+) (\S+)$/gm)].map((m) => m[1] as string);
		const scripts = JSON.parse(readRepoFile('package.json')).scripts as Record<string, string>;
		const commands = [...stage.matchAll(/^(?:RUN| &&) (.+?)(?: \\)?$/gm)].map((m) => m[1] as string);
		if (commands.some((c) => /\bnpm pack\b/.test(c) && !c.includes('--ignore-scripts'))) commands.push(scripts.prepack!, scripts.postpack!);
		for (const command of commands) {
			expect(command, 'the math service is not built in the n8n image').not.toMatch(/npm run build\b/);
			for (const m of command.matchAll(/\b(scripts\/\S+\.mjs)/g))
				expect(copied.some((c) => m[1] === c || m[1]!.startsWith(`${c}/`)), `${m[1]} copied into the package stage`).toBe(true);
		}
	});

	it('n8n, its worker and its init step run one image; the package lands in the community-nodes folder', () => {
		const builds = N8N_PROCESSES.map((name) => JSON.stringify(services[name]?.build));
		expect(new Set(builds).size).toBe(1);
		expect(new Set(N8N_PROCESSES.map((name) => services[name]?.image)).size).toBe(1);
		const dockerfile = readRepoFile('docker/n8n.Dockerfile');
		expect(dockerfile).toMatch(/COPY --from=package --chown=node:node \/out\/home\/ \/home\/node\//);
		expect(dockerfile).toContain('/out/home/.n8n/nodes/node_modules/n8n-nodes-highfreqquant');
		expect(JSON.parse(readRepoFile('package.json')).name).toBe('n8n-nodes-highfreqquant');
	});
});

describe('health and start order', () => {
	it('gives every long-running service a health check', () => {
		for (const name of LONG_RUNNING) {
			const check = services[name]?.healthcheck;
			expect(check?.test, `${name} healthcheck`).toBeDefined();
			expect(check?.disable ?? false, name).toBe(false);
		}
	});

	it('starts n8n and its worker only after the init step succeeded and their databases are healthy', () => {
		for (const name of ['n8n', 'n8n-worker', 'n8n-webhook']) {
			const deps = services[name]?.depends_on as Record<string, { condition?: string }>;
			expect(deps['n8n-init']?.condition, name).toBe('service_completed_successfully');
			expect((deps['n8n-init'] as { restart?: boolean }).restart, `${name} restarts after a new init`).toBe(true);
			expect(deps.postgres?.condition, name).toBe('service_healthy');
			expect(deps.redis?.condition, name).toBe('service_healthy');
			expect(deps['math-service']?.condition, name).toBe('service_healthy');
		}
		expect((services['n8n-init']?.depends_on as Record<string, { condition?: string }>).postgres?.condition).toBe('service_healthy');
		expect((services['math-service']?.depends_on as Record<string, { condition?: string }>).mysql?.condition).toBe('service_healthy');
		expect(services['n8n-init']?.restart).toBe('no');
	});
});

describe('n8n in queue mode', () => {
	const env = Object.fromEntries(N8N_PROCESSES.map((name) => [name, environmentOf(services[name] ?? {})]));

	it('main and worker run queue mode on the same Redis and Postgres with the same encryption key', () => {
		expect(env.n8n?.EXECUTIONS_MODE).toBe('queue');
		expect(env['n8n-worker']?.EXECUTIONS_MODE).toBe('queue');
		const shared = ['N8N_ENCRYPTION_KEY', 'QUEUE_BULL_REDIS_HOST', 'QUEUE_BULL_REDIS_PORT', 'QUEUE_BULL_REDIS_DB', 'DB_TYPE', 'DB_POSTGRESDB_HOST', 'DB_POSTGRESDB_DATABASE', 'DB_POSTGRESDB_USER', 'DB_POSTGRESDB_PASSWORD'];
		for (const key of shared) {
			expect(env.n8n?.[key], key).toBeTruthy();
			expect(env['n8n-worker']?.[key], `worker ${key}`).toBe(env.n8n?.[key]);
		}
		for (const key of ['N8N_ENCRYPTION_KEY', 'DB_TYPE', 'DB_POSTGRESDB_HOST', 'DB_POSTGRESDB_DATABASE', 'DB_POSTGRESDB_PASSWORD']) {
			expect(env['n8n-init']?.[key], `init ${key}`).toBe(env.n8n?.[key]);
		}
		expect(env.n8n?.DB_TYPE).toBe('postgresdb');
		expect(env.n8n?.QUEUE_BULL_REDIS_HOST).toBe('redis');
		expect(env.n8n?.DB_POSTGRESDB_HOST).toBe('postgres');
		expect(env.n8n?.DB_POSTGRESDB_PASSWORD).toBe(environmentOf(services.postgres ?? {}).POSTGRES_PASSWORD);
		expect([services['n8n-worker']?.command].flat()[0]).toBe('worker');
		for (const key of shared) expect(env['n8n-webhook']?.[key], `webhook ${key}`).toBe(env.n8n?.[key]);
		expect(env['n8n-webhook']?.EXECUTIONS_MODE).toBe('queue');
		expect(env['n8n-webhook']?.WEBHOOK_URL).toBe(env.n8n?.WEBHOOK_URL);
	});

	it('webhook processes are opt-in: by default main answers /webhook/*; with the profile Caddy sends it to every n8n-webhook replica', () => {
		expect(services['n8n-webhook']?.profiles).toEqual(['webhooks']);
		expect(services['n8n-webhook']?.command).toEqual(['webhook']);
		expect(env.n8n?.N8N_DISABLE_PRODUCTION_MAIN_PROCESS).toBe('false');
		expect(environmentOf(services.caddy ?? {}).N8N_WEBHOOK_HOST).toBe('n8n');
		const scaled = interpolateAll(raw, { ...filledEnv, N8N_WEBHOOK_HOST: 'n8n-webhook', N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }).services;
		expect(environmentOf(scaled.caddy ?? {}).N8N_WEBHOOK_HOST).toBe('n8n-webhook');
		expect(environmentOf(scaled.n8n ?? {}).N8N_DISABLE_PRODUCTION_MAIN_PROCESS).toBe('true');
		const caddyfile = readRepoFile('Caddyfile');
		expect(caddyfile).toMatch(/reverse_proxy \/webhook\/\* \{\s*dynamic a \{\$N8N_WEBHOOK_HOST\} 5678/);
	});

	it('main and worker run with the throughput settings the intake benchmark measures', () => {
		expect(Object.keys(N8N_THROUGHPUT_ENV)).toContain('N8N_EXPRESSION_ENGINE');
		for (const [key, value] of Object.entries(N8N_THROUGHPUT_ENV)) {
			expect(env.n8n?.[key], key).toBe(value);
			expect(env['n8n-worker']?.[key], `worker ${key}`).toBe(value);
		}
		expect(services['n8n-worker']?.command).toContain(`--concurrency=${N8N_WORKER_CONCURRENCY}`);
		expect(interpolateAll(raw, { ...filledEnv, N8N_WORKER_CONCURRENCY: '' }).services['n8n-worker']?.command).toContain(`--concurrency=${N8N_WORKER_CONCURRENCY}`);
	});

	it('the init step stores the math service URL as the n8n containers reach it', () => {
		expect(services['n8n-init']?.entrypoint).toEqual(['node', '/opt/highfreqquant/scripts/n8n/initN8n.mjs']);
		expect(env['n8n-init']?.HFQ_MATH_SERVICE_URL).toBe('http://math-service:8000');
		expect(environmentOf(services['math-service'] ?? {}).MATH_SERVICE_PORT).toBe('8000');
		expect(env['n8n-init']?.MATH_SERVICE_API_KEY).toBe(environmentOf(services['math-service'] ?? {}).MATH_SERVICE_API_KEY);
	});

	it("the init step gets the heartbeat providers' keys and base URLs from .env (empty key = imported disabled)", () => {
		for (const name of ['GLASSNODE_API_KEY', 'GLASSNODE_BASE_URL', 'CRYPTOPANIC_API_TOKEN', 'CRYPTOPANIC_BASE_URL']) {
			expect(env['n8n-init']?.[name], name).toBe(filledEnv[name]);
		}
		expect(environmentOf(services['math-service'] ?? {}).BYBIT_BASE_URL).toBe(filledEnv.BYBIT_BASE_URL);
	});

	it('the public webhook URL is the HTTPS address Caddy serves', () => {
		expect(env.n8n?.WEBHOOK_URL).toBe(`https://${filledEnv.N8N_DOMAIN}/`);
		expect(environmentOf(services.caddy ?? {}).N8N_DOMAIN).toBe(filledEnv.N8N_DOMAIN);
		const caddyfile = readRepoFile('Caddyfile');
		expect(caddyfile).toMatch(/^\{\$N8N_DOMAIN\} \{/m);
		expect(caddyfile).toMatch(/reverse_proxy n8n:5678/);
		for (const m of caddyfile.matchAll(/\{\$(\w+)\}/g)) expect(environmentOf(services.caddy ?? {})[m[1] as string], m[1]).toBeDefined();
		expect(services.caddy?.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
		expect(services.caddy?.profiles).toEqual(['tls']);
		expect(services.ollama?.profiles).toEqual(['llm']);
	});
});

describe('exposure and privileges', () => {
	it('publishes no database, queue or service port, and nothing but Caddy beyond loopback', () => {
		const internal = new Set([3306, 5432, 6379, 8000, 11434]);
		for (const [name, service] of Object.entries(services)) {
			for (const port of publishedPorts(service)) {
				expect(internal.has(port.target), `${name} publishes ${port.target}`).toBe(false);
				if (name === 'caddy') expect([80, 443]).toContain(port.target);
				else expect(port.hostIp, `${name} publishes ${port.target} on ${port.hostIp}`).toBe('127.0.0.1');
			}
		}
	});

	it('runs the math service as a non-root user', () => {
		const service = services['math-service'];
		expect(service?.user).toBeDefined();
		expect(['root', '0', '0:0']).not.toContain(service?.user);
		const users = [...readRepoFile('docker/math-service.Dockerfile').matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
		expect(users.at(-1)).toBeDefined();
		expect(['root', '0']).not.toContain(users.at(-1));
		expect(readRepoFile('docker/n8n.Dockerfile')).not.toMatch(/^USER /m); // stays the official image's `node`
	});

	it('runs compiled JavaScript and checks /health', () => {
		const dockerfile = readRepoFile('docker/math-service.Dockerfile');
		expect(dockerfile).toMatch(/^CMD \["node", "math-service\/dist\/main\.js"\]$/m);
		expect(dockerfile).toMatch(/RUN npm run build:service/);
		expect(dockerfile).not.toMatch(/tsx/);
		expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/health/m);
		expect(JSON.stringify(services['math-service']?.healthcheck)).toContain('/health');
	});

	it('keeps secrets, dependencies and local state out of the build context', () => {
		const ignored = readRepoFile('.dockerignore').split('\n').map((l) => l.trim());
		for (const entry of ['.git', '**/node_modules', '.env', 'data', 'dist']) expect(ignored, entry).toContain(entry);
		for (const file of ['docker/n8n.Dockerfile', 'docker/math-service.Dockerfile', 'Caddyfile', 'scripts/n8n/initN8n.mjs']) expect(existsSync(join(REPO, file)), file).toBe(true);
	});

	it('declares every named volume it mounts', () => {
		for (const [name, service] of Object.entries(services)) {
			for (const volume of service.volumes ?? []) {
				const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
				if (source && !source.startsWith('.') && !source.startsWith('/')) expect(compose.volumes, `${name} mounts ${source}`).toHaveProperty(source);
			}
		}
	});
});
