/**
 * @module pipeline/pipelineSettings
 * Server-side settings of the alert pipeline that a request can never override: the TradingView
 * webhook secret, the source-IP allowlist, the Ollama host, the paper account's starting cash.
 * Read from the environment (main.ts passes nothing extra; routes call `pipelineSettingsFromEnv`)
 * or injected by tests through `createApp({ ..., pipeline })`.
 *
 * | Variable                     | Default        | Meaning                                                  |
 * | ---------------------------- | -------------- | -------------------------------------------------------- |
 * | `TRADINGVIEW_WEBHOOK_SECRET` | none           | the alert body's `secret`; unset → alerts answer 500 "operator action required" |
 * | `HFQ_TV_IP_ALLOWLIST`        | none (off)     | `tradingview` (TradingView's 4 published IPs) or IPv4/CIDR list, comma-separated |
 * | `OLLAMA_HOST`                | none (LLM off) | e.g. `http://127.0.0.1:11434`; unset → llm status `unavailable` |
 * | `OLLAMA_MODEL`               | `glm-5:cloud`  | model asked for the advisory Kelly cross-check           |
 * | `OLLAMA_TIMEOUT_MS`          | `2000`         | hard bound on the LLM call (TradingView gives up after 3 s) |
 * | `HFQ_PAPER_INITIAL_CASH`     | `10000`        | quote currency (USDT) deposited once into the paper ledger |
 * | `HFQ_LIVE_ALLOW_FAILING_BACKTEST` | off       | exactly `1`: in LIVE mode, permit a strategy and symbol whose latest backtest fails the KPI gates (or is missing); receipts show `live.override: true` |
 */
import type { IntakeConfigInput } from '../core/intake/evaluateIntake.js';

export interface PipelineSettings {
	webhookSecret: string;
	ipAllowlist: IntakeConfigInput['ipAllowlist'];
	ollamaHost: string | null;
	ollamaModel: string;
	ollamaTimeoutMs: number;
	/** Largest |LLM − deterministic| fractional Kelly accepted as agreement, fraction of equity. */
	llmTolerance: number;
	paperInitialCash: number;
	/** Operator override of the LIVE backtest gate (HFQ_LIVE_ALLOW_FAILING_BACKTEST=1); never a request field. */
	liveAllowFailingBacktest: boolean;
}

export const DEFAULT_PIPELINE_SETTINGS: Readonly<PipelineSettings> = Object.freeze({
	webhookSecret: '',
	ipAllowlist: null,
	ollamaHost: null,
	ollamaModel: 'glm-5:cloud',
	ollamaTimeoutMs: 2_000,
	llmTolerance: 0.005,
	paperInitialCash: 10_000,
	liveAllowFailingBacktest: false,
});

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

function positiveNumber(v: string | undefined, fallback: number): number {
	const n = Number(blank(v));
	return blank(v) !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

export function pipelineSettingsFromEnv(env: Record<string, string | undefined> = process.env): PipelineSettings {
	const allow = blank(env.HFQ_TV_IP_ALLOWLIST);
	return {
		webhookSecret: env.TRADINGVIEW_WEBHOOK_SECRET ?? '',
		ipAllowlist:
			allow === undefined
				? null
				: allow.toLowerCase() === 'tradingview'
				? 'tradingview'
				: allow.split(',').map((s) => s.trim()).filter((s) => s !== ''),
		ollamaHost: blank(env.OLLAMA_HOST) ?? null,
		ollamaModel: blank(env.OLLAMA_MODEL) ?? DEFAULT_PIPELINE_SETTINGS.ollamaModel,
		ollamaTimeoutMs: positiveNumber(env.OLLAMA_TIMEOUT_MS, DEFAULT_PIPELINE_SETTINGS.ollamaTimeoutMs),
		llmTolerance: DEFAULT_PIPELINE_SETTINGS.llmTolerance,
		paperInitialCash: positiveNumber(env.HFQ_PAPER_INITIAL_CASH, DEFAULT_PIPELINE_SETTINGS.paperInitialCash),
		liveAllowFailingBacktest: env.HFQ_LIVE_ALLOW_FAILING_BACKTEST?.trim() === '1',
	};
}
