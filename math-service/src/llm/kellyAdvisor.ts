/**
 * @module llm/kellyAdvisor
 * The LLM as a second opinion, never as the calculator.
 *
 * Financial logic: seed 1 routed the Kelly computation through GLM-5. A language model is not a
 * reliable calculator, so HighFreqQuant sizes every position with the deterministic core
 * (`core/kelly`). The model is asked the same question — fractional Kelly from win rate and
 * payoff — plus a one-line rationale. If its number differs from ours by more than `tolerance`
 * (absolute, in fraction of equity), the decision receipt says so and KEEPS the deterministic
 * value. A slow, missing or confused model never blocks or changes a decision: every failure is
 * reported as `unavailable` or `unparseable` within `timeoutMs`.
 */
import { Ollama } from 'ollama';
import { log, scrubSecrets } from '../observability/logger.js';

export interface KellyAdvisorConfig {
	/** Ollama base URL, e.g. http://127.0.0.1:11434 */
	host: string;
	/** Model name; the seed's default is glm-5:cloud. */
	model: string;
	/** Hard bound on the whole call, in milliseconds. */
	timeoutMs: number;
	/** Largest accepted |llm − deterministic| fractional Kelly, in fraction of equity. */
	tolerance: number;
}

export interface KellyAdviceInput {
	winRate: number;
	avgWin: number;
	avgLoss: number;
	fraction: number;
}

export type KellyAdviceStatus = 'agrees' | 'disagrees' | 'unparseable' | 'unavailable';

export interface KellyAdvice {
	status: KellyAdviceStatus;
	model: string;
	deterministicFractionalKelly: number;
	llmFractionalKelly: number | null;
	deltaAbs: number | null;
	tolerance: number;
	rationale: string | null;
	/** One sentence for the receipt and the Telegram card. */
	note: string;
	latencyMs: number;
}

const ANSWER_SCHEMA = {
	type: 'object',
	properties: { fractional_kelly: { type: 'number' }, rationale: { type: 'string' } },
	required: ['fractional_kelly', 'rationale'],
};

function prompt(input: KellyAdviceInput): string {
	return [
		'You are checking a position-sizing calculation for a crypto trading desk.',
		`Win rate p = ${input.winRate}. Average win = ${input.avgWin}. Average loss = ${input.avgLoss}.`,
		`Compute the Kelly criterion f* = p - (1 - p) / b with b = average win / average loss,`,
		`then the fractional Kelly = max(0, f*) * ${input.fraction}.`,
		'Answer as JSON {"fractional_kelly": <number, fraction of equity>, "rationale": <one sentence>}.',
	].join('\n');
}

/** Pulls `fractional_kelly` out of a JSON answer, or the first number of a prose answer. */
function parseAnswer(text: string): { value: number | null; rationale: string | null } {
	try {
		const parsed = JSON.parse(text) as { fractional_kelly?: unknown; rationale?: unknown };
		const value = typeof parsed.fractional_kelly === 'number' && Number.isFinite(parsed.fractional_kelly) ? parsed.fractional_kelly : null;
		return { value, rationale: typeof parsed.rationale === 'string' ? parsed.rationale.slice(0, 500) : null };
	} catch {
		return { value: null, rationale: text.trim() ? text.trim().slice(0, 500) : null };
	}
}

function timeoutFetch(timeoutMs: number): typeof fetch {
	return (input, init) => {
		const timeout = AbortSignal.timeout(timeoutMs);
		const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
		return fetch(input, { ...init, signal });
	};
}

/**
 * Asks the model for fractional Kelly and compares it with `deterministicFractionalKelly`.
 * Never throws; never returns a number that should be used for sizing.
 */
export async function adviseKelly(
	config: KellyAdvisorConfig,
	input: KellyAdviceInput,
	deterministicFractionalKelly: number,
): Promise<KellyAdvice> {
	const started = performance.now();
	const base = {
		model: config.model,
		deterministicFractionalKelly,
		tolerance: config.tolerance,
	};
	const elapsed = () => Math.round(performance.now() - started);
	try {
		const client = new Ollama({ host: config.host, fetch: timeoutFetch(config.timeoutMs) });
		const reply = await client.generate({
			model: config.model,
			prompt: prompt(input),
			format: ANSWER_SCHEMA,
			stream: false,
			options: { temperature: 0, seed: 42 },
		});
		const { value, rationale } = parseAnswer(reply.response ?? "");
		if (value === null) {
			log.warn({ llmHost: config.host, model: config.model }, 'LLM answer had no usable number; deterministic value used');
			return { ...base, status: 'unparseable', llmFractionalKelly: null, deltaAbs: null, rationale, note: 'LLM answer had no usable number; deterministic value used.', latencyMs: elapsed() };
		}
		const deltaAbs = Math.abs(value - deterministicFractionalKelly);
		const agrees = deltaAbs <= config.tolerance;
		return {
			...base,
			status: agrees ? 'agrees' : 'disagrees',
			llmFractionalKelly: value,
			deltaAbs,
			rationale,
			note: agrees
				? `LLM agrees (${(value * 100).toFixed(2)}% vs ${(deterministicFractionalKelly * 100).toFixed(2)}%).`
				: `LLM disagrees: ${(value * 100).toFixed(2)}% vs ${(deterministicFractionalKelly * 100).toFixed(2)}% (tolerance ${(config.tolerance * 100).toFixed(2)} pp); deterministic value kept.`,
			latencyMs: elapsed(),
		};
	} catch (error) {
		const err = error as Error;
		const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
		// The receipt keeps the reason: a password in OLLAMA_HOST (quoted by fetch's error) is taken out.
		const reason = timedOut ? `timed out after ${config.timeoutMs} ms` : scrubSecrets((err.message || String(error)).slice(0, 200), []);
		log.warn({ llmHost: config.host, model: config.model, timedOut }, `LLM cross-check unavailable (${reason}); deterministic value used`);
		return { ...base, status: 'unavailable', llmFractionalKelly: null, deltaAbs: null, rationale: null, note: `LLM unavailable (${reason}); deterministic value used.`, latencyMs: elapsed() };
	}
}
