import { describe, expect, it } from 'vitest';
import { pipelineSettingsFromEnv } from './pipelineSettings';

describe('pipelineSettingsFromEnv', () => {
	it('defaults: no secret, no allowlist, LLM off, glm-5:cloud, 2 s, 10,000 paper cash', () => {
		expect(pipelineSettingsFromEnv({})).toEqual({ webhookSecret: '', ipAllowlist: null, ollamaHost: null, ollamaModel: 'glm-5:cloud', ollamaTimeoutMs: 2_000, llmTolerance: 0.005, paperInitialCash: 10_000, liveAllowFailingBacktest: false });
	});

	it('reads every variable; blank means unset; a bad number keeps the default', () => {
		const s = pipelineSettingsFromEnv({
			TRADINGVIEW_WEBHOOK_SECRET: 's3cret',
			HFQ_TV_IP_ALLOWLIST: ' 10.0.0.0/8, 52.89.214.238 ',
			OLLAMA_HOST: 'http://127.0.0.1:11434',
			OLLAMA_MODEL: ' ',
			OLLAMA_TIMEOUT_MS: 'soon',
			HFQ_PAPER_INITIAL_CASH: '25000',
		});
		expect(s).toMatchObject({ webhookSecret: 's3cret', ipAllowlist: ['10.0.0.0/8', '52.89.214.238'], ollamaHost: 'http://127.0.0.1:11434', ollamaModel: 'glm-5:cloud', ollamaTimeoutMs: 2_000, paperInitialCash: 25_000 });
		expect(pipelineSettingsFromEnv({ HFQ_TV_IP_ALLOWLIST: 'TradingView' }).ipAllowlist).toBe('tradingview');
	});
});
