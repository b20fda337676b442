import { describe, expect, it } from 'vitest';
import { OperatorError } from '../errors';
import { pipelineSettingsFromEnv } from './pipelineSettings';

describe('pipelineSettingsFromEnv', () => {
	it('defaults: no secret, no allowlist, no trusted proxy, 100 alerts at once and 10/s per source, LLM off, glm-5:cloud, 2 s, 10,000 paper cash', () => {
		expect(pipelineSettingsFromEnv({})).toEqual({
			webhookSecret: '',
			ipAllowlist: null,
			trustedProxies: 0,
			intakeBurst: 100,
			intakeRatePerSecond: 10,
			ollamaHost: null,
			ollamaModel: 'glm-5:cloud',
			ollamaTimeoutMs: 2_000,
			llmTolerance: 0.005,
			paperInitialCash: 10_000,
			liveAllowFailingBacktest: false,
			operatorChatIds: [],
		});
	});

	it('reads every variable; blank means unset', () => {
		const s = pipelineSettingsFromEnv({
			TRADINGVIEW_WEBHOOK_SECRET: 's3cret',
			HFQ_TV_IP_ALLOWLIST: ' 10.0.0.0/8, 52.89.214.238 ',
			HFQ_TRUSTED_PROXIES: '1',
			HFQ_INTAKE_BURST: '0',
			HFQ_INTAKE_RATE_PER_SECOND: '2.5',
			OLLAMA_HOST: 'http://127.0.0.1:11434/',
			OLLAMA_MODEL: ' ',
			OLLAMA_TIMEOUT_MS: '2500',
			HFQ_PAPER_INITIAL_CASH: '25000',
			HFQ_LIVE_ALLOW_FAILING_BACKTEST: 'TRUE',
			TELEGRAM_OPERATOR_CHAT_IDS: ' 123456789, -1001234567890 ',
		});
		expect(s).toMatchObject({
			webhookSecret: 's3cret',
			ipAllowlist: ['10.0.0.0/8', '52.89.214.238'],
			trustedProxies: 1,
			intakeBurst: 0,
			intakeRatePerSecond: 2.5,
			ollamaHost: 'http://127.0.0.1:11434',
			ollamaModel: 'glm-5:cloud',
			ollamaTimeoutMs: 2_500,
			paperInitialCash: 25_000,
			liveAllowFailingBacktest: true,
			operatorChatIds: ['123456789', '-1001234567890'],
		});
		expect(pipelineSettingsFromEnv({ HFQ_TV_IP_ALLOWLIST: 'TradingView' }).ipAllowlist).toBe('tradingview');
	});

	it.each([
		['OLLAMA_TIMEOUT_MS', 'abc', /OLLAMA_TIMEOUT_MS: "abc" is not an integer/],
		['OLLAMA_TIMEOUT_MS', '2000.5', /OLLAMA_TIMEOUT_MS: "2000.5" is not an integer/],
		['OLLAMA_TIMEOUT_MS', '99', /OLLAMA_TIMEOUT_MS: 99 is out of range 100–60000/],
		['HFQ_PAPER_INITIAL_CASH', '-5', /HFQ_PAPER_INITIAL_CASH: -5 must be greater than 0/],
		['HFQ_PAPER_INITIAL_CASH', '0', /HFQ_PAPER_INITIAL_CASH: 0 must be greater than 0/],
		['HFQ_PAPER_INITIAL_CASH', '10k', /HFQ_PAPER_INITIAL_CASH: "10k" is not a number/],
		['HFQ_PAPER_INITIAL_CASH', 'Infinity', /HFQ_PAPER_INITIAL_CASH: "Infinity" is not a number/],
		['HFQ_TRUSTED_PROXIES', '11', /HFQ_TRUSTED_PROXIES: 11 is out of range 0–10/],
		['HFQ_TRUSTED_PROXIES', 'one', /HFQ_TRUSTED_PROXIES: "one" is not an integer/],
		['HFQ_INTAKE_BURST', '-1', /HFQ_INTAKE_BURST: -1 is out of range/],
		['HFQ_INTAKE_RATE_PER_SECOND', 'fast', /HFQ_INTAKE_RATE_PER_SECOND: "fast" is not a number/],
		['OLLAMA_HOST', 'not a url', /OLLAMA_HOST: "not a url" is not a URL/],
		['OLLAMA_HOST', 'ftp://127.0.0.1:11434', /OLLAMA_HOST: must be an http\(s\) URL/],
		['HFQ_TV_IP_ALLOWLIST', '10.0.0.0/33, 52.89.214.238', /HFQ_TV_IP_ALLOWLIST: "10.0.0.0\/33" is not an IPv4 address or CIDR range/],
		['HFQ_TV_IP_ALLOWLIST', 'tradingview.com', /HFQ_TV_IP_ALLOWLIST: "tradingview.com"/],
		['TELEGRAM_OPERATOR_CHAT_IDS', '123, @desk', /TELEGRAM_OPERATOR_CHAT_IDS: "@desk" is not a Telegram chat id/],
		['HFQ_LIVE_ALLOW_FAILING_BACKTEST', 'yes', /HFQ_LIVE_ALLOW_FAILING_BACKTEST: "yes" is not a boolean/],
	])('refuses %s=%j with an OperatorError naming it and the reason', (name, value, message) => {
		expect(() => pipelineSettingsFromEnv({ [name]: value })).toThrow(OperatorError);
		expect(() => pipelineSettingsFromEnv({ [name]: value })).toThrow(message);
	});
});
