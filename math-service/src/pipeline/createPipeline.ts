/**
 * @module pipeline/createPipeline
 * The domain services' shared context, one per app: storage, clock, settings, the brokers and an
 * in-process queue that runs decision batches (pipeline/decisionBatch) and position checks one at a
 * time. Routes (and through them the n8n nodes and
 * the Telegram workflow) obtain it with `pipelineFor(deps)`, so every sub-app of one `createApp`
 * shares the same queue.
 *
 * Why serialise: each risk decision reads the account (equity, heat, per-asset exposure), then
 * writes a position that changes it. Two decisions interleaved could both see room for the same
 * 10 % and together break the limit. Inside one process the queue prevents that (and a batch
 * decides its alerts in order on one account kept in memory); across processes the decision
 * transaction also takes a row lock (risk_state `decision_lock`, see storage/decisionStatements).
 */
import type { AppDeps } from '../appDeps.js';
import type { Config } from '../config.js';
import { OperatorError, RetryableError } from '../errors.js';
import { createLiveBroker, noRecordedBacktests, type LiveBroker } from '../execution/liveBroker.js';
import { createPaperBroker, type PaperBroker } from '../execution/paperBroker.js';
import type { Storage } from '../storage/openStorage.js';
import { pipelineSettingsFromEnv, type PipelineSettings } from './pipelineSettings.js';

/** What a test (or main.ts) may add to AppDeps for the pipeline; all optional. */
export interface PipelineDepsExtension {
	/** Overrides of the environment-derived settings (webhook secret, Ollama host, …). */
	pipeline?: Partial<PipelineSettings>;
	/** The LIVE order guard (an exchange adapter); default: none. decide() consults execution/livePermission (recorded backtests) and places no LIVE order in this version. */
	liveBroker?: LiveBroker;
}

export interface Pipeline {
	readonly storage: Storage;
	readonly config: Config;
	readonly settings: PipelineSettings;
	readonly live: LiveBroker;
	now(): number;
	paperBroker(feeRatio: number): PaperBroker;
	/** Runs `fn` after every earlier queued call finished (FIFO), retrying RetryableErrors (deadlocks) up to 3 times. */
	serialize<T>(fn: () => Promise<T>): Promise<T>;
	/** Decisions being made right now, by alert id: concurrent deliveries of one alert wait for the first. */
	readonly inflight: Map<string, Promise<unknown>>;
}

const cache = new WeakMap<object, Pipeline>();

export function pipelineFor(deps: AppDeps): Pipeline {
	const cached = cache.get(deps);
	if (cached) return cached;
	const ext = deps as AppDeps & PipelineDepsExtension;
	const storage = deps.storage;
	const pipeline: Pipeline = {
		get storage(): Storage {
			if (storage === undefined) throw new OperatorError('the math service was started without a database; signals and decisions need one');
			return storage;
		},
		config: deps.config,
		settings: { ...pipelineSettingsFromEnv(process.env), ...ext.pipeline },
		live: ext.liveBroker ?? createLiveBroker({ mode: deps.config.mode, latestBacktestKpi: noRecordedBacktests }),
		now: () => (deps.clock ? deps.clock.now() : Date.now()),
		paperBroker: (feeRatio) => createPaperBroker(feeRatio),
		serialize: createQueue(),
		inflight: new Map(),
	};
	cache.set(deps, pipeline);
	return pipeline;
}

function createQueue() {
	let tail: Promise<unknown> = Promise.resolve();
	return <T>(fn: () => Promise<T>): Promise<T> => {
		const run = async () => {
			for (let attempt = 1; ; attempt++) {
				try {
					return await fn();
				} catch (error) {
					if (!(error instanceof RetryableError) || attempt >= 3) throw error;
				}
			}
		};
		const result = tail.then(run, run);
		tail = result.catch(() => undefined);
		return result;
	};
}
