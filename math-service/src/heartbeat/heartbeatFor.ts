/**
 * @module heartbeat/heartbeatFor
 * The heartbeat's lock and hot cache for an app, resolved once per AppDeps object (like
 * crawler/marketDataFor). Tests and main.ts may inject them on the deps object:
 *
 * ```ts
 * const deps: AppDeps & HeartbeatDepsExtension = { config, storage, heartbeat: { lock, cache } };
 * ```
 * Without them they are built on first use from the environment (REDIS_URL → Redis, else in process).
 */
import type { AppDeps } from '../appDeps';
import { createHotCache, createJobLock } from './createJobLock';
import type { HeartbeatDeps } from './runHeartbeatJob';

export interface HeartbeatDepsExtension {
	heartbeat?: HeartbeatDeps;
}

const resolved = new WeakMap<object, HeartbeatDeps>();

export function heartbeatFor(deps: AppDeps): HeartbeatDeps {
	const cached = resolved.get(deps);
	if (cached) return cached;
	const ext = (deps as AppDeps & HeartbeatDepsExtension).heartbeat;
	const hb: HeartbeatDeps = ext ?? {
		lock: createJobLock(process.env),
		cache: createHotCache(process.env),
		now: deps.clock ? () => deps.clock!.now() : Date.now,
	};
	resolved.set(deps, hb);
	return hb;
}
