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
import { createLiveExchange, type LiveExchange } from '../execution/liveExchange.js';
import { createPaperBroker, type PaperBroker } from '../execution/paperBroker.js';
import type { Storage } from '../storage/openStorage.js';
import { closeLivePosition, type CloseLiveInput, type CloseLiveResult } from './liveExecution.js';
import { pipelineSettingsFromEnv, type PipelineSettings } from './pipelineSettings.js';

/** What a test (or main.ts) may add to AppDeps for the pipeline; all optional. */
export interface PipelineDepsExtension {
	/** Overrides of the environment-derived settings (webhook secret, Ollama host, …). */
	pipeline?: Partial<PipelineSettings>;
	/** The LIVE exchange account (tests: a ccxt client on a loopback fake); default: ccxt on the configured exchange when LIVE is armed. */
	liveExchange?: LiveExchange;
}

export interface Pipeline {
	readonly storage: Storage;
	readonly config: Config;
	readonly settings: PipelineSettings;
	/** The exchange account LIVE orders go to; null unless every LIVE switch is on (config.live.armed). */
	readonly liveExchange: LiveExchange | null;
	/** Closes a LIVE position on the exchange and books it (risk monitor, operator flatten): pipeline/liveExecution. */
	closeLivePosition(input: CloseLiveInput): Promise<CloseLiveResult>;
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
		// Only an armed configuration gets an exchange client: PAPER (or a refused LIVE) has none to call.
		liveExchange: deps.config.mode === 'LIVE' && deps.config.live?.armed === true ? (ext.liveExchange ?? createLiveExchange(deps.config.live)) : null,
		closeLivePosition: (input) => closeLivePosition(pipeline, input),
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
