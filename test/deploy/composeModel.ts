// Reads docker-compose.yml the way `docker compose` does before it validates: YAML 1.1 merge keys
// (`<<: *anchor`) resolved, then `${VAR}` interpolation of every string value from an environment.
// Interpolation follows the Compose specification: `$$` is a literal `$`; `${VAR}` / `$VAR`;
// `${VAR:-default}` (unset or empty), `${VAR-default}` (unset); `${VAR:?message}` / `${VAR?message}`
// fail; `${VAR:+alt}` / `${VAR+alt}` substitute when set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO = join(__dirname, '..', '..');

export type Compose = {
	name?: string;
	services: Record<string, ComposeService>;
	volumes?: Record<string, unknown>;
	[key: string]: unknown;
};
export type ComposeService = {
	image?: string;
	build?: string | { context?: string; dockerfile?: string };
	command?: string | string[];
	entrypoint?: string | string[];
	user?: string;
	restart?: string;
	profiles?: string[];
	ports?: (string | number | { target: number; published?: string | number; host_ip?: string; protocol?: string })[];
	environment?: Record<string, string | number | boolean | null> | string[];
	healthcheck?: { test?: string | string[]; disable?: boolean };
	depends_on?: string[] | Record<string, { condition?: string }>;
	volumes?: (string | { type?: string; source?: string; target: string })[];
	[key: string]: unknown;
};

export const readRepoFile = (path: string) => readFileSync(join(REPO, path), 'utf8');

/** The compose file parsed, anchors and merge keys resolved, nothing interpolated. */
export function rawCompose(text = readRepoFile('docker-compose.yml')): Compose {
	return parse(text, { merge: true }) as Compose;
}

const TOKEN = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Names of every variable a string refers to (defaults included). */
export function variablesIn(text: string): string[] {
	const names: string[] = [];
	for (const m of text.matchAll(TOKEN)) {
		if (m[1]) continue;
		names.push((m[2] ?? m[5]) as string);
		if (m[4]) names.push(...variablesIn(m[4]));
	}
	return names;
}

export class InterpolationError extends Error {
	constructor(
		readonly variable: string,
		message: string,
	) {
		super(message);
	}
}

/** One string interpolated; throws InterpolationError for a `?` whose variable is missing. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
	return text.replace(TOKEN, (_all, dollar, braced, op, arg, bare) => {
		if (dollar) return '$';
		const name = (braced ?? bare) as string;
		const value = env[name];
		const set = value !== undefined;
		const nonEmpty = set && value !== '';
		switch (op) {
			case undefined:
				return value ?? '';
			case ':-':
				return nonEmpty ? value : interpolate(arg ?? '', env);
			case '-':
				return set ? value : interpolate(arg ?? '', env);
			case ':?':
				if (!nonEmpty) throw new InterpolationError(name, `required variable ${name} is missing a value: ${arg}`);
				return value;
			case '?':
				if (!set) throw new InterpolationError(name, `required variable ${name} is missing a value: ${arg}`);
				return value;
			case ':+':
				return nonEmpty ? interpolate(arg ?? '', env) : '';
			case '+':
				return set ? interpolate(arg ?? '', env) : '';
			default:
				throw new Error(`unsupported interpolation ${op}`);
		}
	});
}

/** Every string value of a parsed document, interpolated (keys are left alone, as compose does). */
export function interpolateAll<T>(value: T, env: Record<string, string | undefined>): T {
	if (typeof value === 'string') return interpolate(value, env) as T;
	if (Array.isArray(value)) return value.map((v) => interpolateAll(v, env)) as T;
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)])) as T;
	}
	return value;
}

/** Every string value of a parsed document (for collecting variable names). */
export function stringsIn(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(stringsIn);
	if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
	return [];
}

/** KEY=value lines of a .env file (comments and blank lines skipped). */
export function parseDotEnv(text: string): Map<string, string> {
	const vars = new Map<string, string>();
	for (const line of text.split('\n')) {
		const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
		if (m) vars.set(m[1] as string, (m[2] as string).trim());
	}
	return vars;
}

export interface PublishedPort {
	hostIp: string;
	published: string;
	target: number;
	protocol: string;
}

/** Published ports of a service (short "[ip:][host:]container[/proto]" and long syntax). */
export function publishedPorts(service: ComposeService): PublishedPort[] {
	return (service.ports ?? []).map((entry) => {
		if (typeof entry === 'object') {
			return { hostIp: entry.host_ip ?? '0.0.0.0', published: String(entry.published ?? ''), target: Number(entry.target), protocol: entry.protocol ?? 'tcp' };
		}
		const [spec, protocol = 'tcp'] = String(entry).split('/');
		const parts = (spec as string).split(':');
		const target = Number(parts.pop());
		const published = parts.pop() ?? '';
		const hostIp = parts.join(':') || '0.0.0.0';
		return { hostIp, published, target, protocol };
	});
}

/** A service's environment as a map (list form "K=V" or mapping form). */
export function environmentOf(service: ComposeService): Record<string, string> {
	const env = service.environment ?? {};
	if (Array.isArray(env)) return Object.fromEntries(env.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
	return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
