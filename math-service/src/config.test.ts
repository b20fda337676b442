import { describe, expect, it } from 'vitest';
import { isLoopbackHost, loadConfig, redactDatabaseUrl, SERVICE_VERSION } from './config';
import { OperatorError } from './errors';

describe('loadConfig', () => {
	it('returns the documented defaults for an empty environment', () => {
		const c = loadConfig({});
		expect(c).toMatchObject({
			host: '127.0.0.1',
			port: 8000,
			apiKey: null,
			dataDir: './data',
			databaseUrl: 'sqlite:./data/highfreqquant.db',
			databaseKind: 'sqlite',
			mode: 'PAPER',
			bodyLimitBytes: 5 * 1024 * 1024,
		});
		expect(c.warnings).toEqual([]);
	});

	it('derives the default sqlite path from HFQ_DATA_DIR', () => {
		expect(loadConfig({ HFQ_DATA_DIR: '/var/lib/hfq/' }).databaseUrl).toBe('sqlite:/var/lib/hfq/highfreqquant.db');
	});

	it('treats empty strings as unset', () => {
		const c = loadConfig({ MATH_SERVICE_PORT: '', MATH_SERVICE_API_KEY: '  ', DATABASE_URL: '' });
		expect(c.port).toBe(8000);
		expect(c.apiKey).toBeNull();
		expect(c.databaseKind).toBe('sqlite');
	});

	it('accepts a mysql URL and reports its kind', () => {
		const c = loadConfig({ DATABASE_URL: 'mysql://root:pw@127.0.0.1:3306/hfq' });
		expect(c.databaseKind).toBe('mysql');
	});

	it.each([
		['MATH_SERVICE_PORT', 'eighty', /MATH_SERVICE_PORT: must be an integer/],
		['MATH_SERVICE_PORT', '70000', /MATH_SERVICE_PORT: must be at most 65535/],
		['MATH_SERVICE_PORT', '-1', /MATH_SERVICE_PORT/],
		['DATABASE_URL', 'postgres://x@y/z', /DATABASE_URL scheme "postgres" is not supported/],
		['DATABASE_URL', 'sqlite:', /DATABASE_URL "sqlite:" has no file path/],
		['DATABASE_URL', 'mysql://root@127.0.0.1:3306/', /DATABASE_URL names no single database/],
		['MATH_SERVICE_HOST', 'bad host!', /MATH_SERVICE_HOST: must be a host name or IP address/],
		['MATH_SERVICE_API_KEY', 'has space', /MATH_SERVICE_API_KEY: must be printable ASCII/],
	])('refuses %s=%j with an OperatorError naming the variable', (name, value, message) => {
		expect(() => loadConfig({ [name]: value })).toThrow(OperatorError);
		expect(() => loadConfig({ [name]: value })).toThrow(message);
	});

	it('refuses a non-loopback host without an API key', () => {
		expect(() => loadConfig({ MATH_SERVICE_HOST: '0.0.0.0' })).toThrow(/MATH_SERVICE_API_KEY: required when MATH_SERVICE_HOST \(0\.0\.0\.0\)/);
	});

	it('accepts a non-loopback host with an API key', () => {
		const c = loadConfig({ MATH_SERVICE_HOST: '0.0.0.0', MATH_SERVICE_API_KEY: 'k'.repeat(32) });
		expect(c.host).toBe('0.0.0.0');
		expect(c.apiKey).toBe('k'.repeat(32));
		expect(c.warnings).toEqual([]);
	});

	it('warns about a short API key without refusing it', () => {
		expect(loadConfig({ MATH_SERVICE_API_KEY: 'short' }).warnings.join()).toMatch(/shorter than 16/);
	});

	it('reports every invalid variable at once', () => {
		expect(() => loadConfig({ MATH_SERVICE_PORT: 'x', MATH_SERVICE_HOST: 'a b' })).toThrow(
			/MATH_SERVICE_HOST[\s\S]*MATH_SERVICE_PORT|MATH_SERVICE_PORT[\s\S]*MATH_SERVICE_HOST/,
		);
	});

	const ARMED = { HFQ_LIVE_CONFIRM: 'I_UNDERSTAND_REAL_MONEY', EXCHANGE_API_KEY: 'key-0123456789', EXCHANGE_API_SECRET: 'secret-0123456789' };
	it.each([
		[undefined, 'PAPER'],
		['', 'PAPER'],
		['PAPER', 'PAPER'],
		['LIVE', 'LIVE'],
	])('HFQ_MODE=%j with the confirmation and the keys runs in %s mode', (value, mode) => {
		expect(loadConfig({ HFQ_MODE: value, ...ARMED }).mode).toBe(mode);
	});

	it.each([
		['HFQ_LIVE_CONFIRM', undefined, /HFQ_LIVE_CONFIRM is not set/],
		['HFQ_LIVE_CONFIRM', 'yes', /HFQ_LIVE_CONFIRM is not exactly I_UNDERSTAND_REAL_MONEY/],
		['EXCHANGE_API_KEY', undefined, /EXCHANGE_API_KEY is not set/],
		['EXCHANGE_API_SECRET', ' ', /EXCHANGE_API_SECRET is not set/],
	])('HFQ_MODE=LIVE with %s=%j runs PAPER and names the refusal', (name, value, reason) => {
		const c = loadConfig({ HFQ_MODE: 'LIVE', ...ARMED, [name]: value });
		expect(c.mode).toBe('PAPER');
		expect(c.live).toMatchObject({ requested: true, armed: false });
		expect(c.live.refusal).toMatch(/^LIVE REFUSED: /);
		expect(c.live.refusal).toMatch(reason);
	});

	it('PAPER never arms LIVE, whatever else is set', () => {
		expect(loadConfig({ HFQ_MODE: 'PAPER', ...ARMED }).live).toMatchObject({ requested: false, armed: false, refusal: null });
	});

	it.each([
		['HFQ_LIVE_EXCHANGE', 'kraken', /HFQ_LIVE_EXCHANGE: "kraken" is not one of "binance"/],
		['HFQ_LIVE_BASE_URL', 'ftp://x', /HFQ_LIVE_BASE_URL: must be an http\(s\) URL/],
	])('stops the start for a bad LIVE setting %s=%j', (name, value, message) => {
		expect(() => loadConfig({ HFQ_MODE: 'LIVE', ...ARMED, [name]: value })).toThrow(message);
	});

	it.each(['live', ' LIVE', 'paper', 'DEMO'])('refuses HFQ_MODE=%j (an enum: exactly PAPER or LIVE)', (value) => {
		expect(() => loadConfig({ HFQ_MODE: value })).toThrow(/HFQ_MODE: must be exactly "PAPER" or "LIVE"/);
	});

	// One setting of each kind that lives outside config.ts: the start stops with its name and the reason.
	it.each([
		['OLLAMA_TIMEOUT_MS', 'abc', /OLLAMA_TIMEOUT_MS: "abc" is not an integer/], // integer
		['HFQ_PAPER_INITIAL_CASH', '-5', /HFQ_PAPER_INITIAL_CASH: -5 must be greater than 0/], // positive number
		['HFQ_TRUSTED_PROXIES', '11', /HFQ_TRUSTED_PROXIES: 11 is out of range 0–10/], // range
		['HFQ_INTAKE_RATE_PER_SECOND', 'lots', /HFQ_INTAKE_RATE_PER_SECOND: "lots" is not a number/], // decimal
		['OLLAMA_HOST', 'localhost 11434', /OLLAMA_HOST: "localhost 11434" is not a URL/], // URL
		['BINANCE_BASE_URL', 'ftp://x', /BINANCE_BASE_URL must be http\(s\)/], // URL
		['HFQ_TV_IP_ALLOWLIST', '300.1.1.1', /HFQ_TV_IP_ALLOWLIST: "300.1.1.1"/], // address list
		['HFQ_LIVE_ALLOW_FAILING_BACKTEST', 'maybe', /HFQ_LIVE_ALLOW_FAILING_BACKTEST: "maybe" is not a boolean/], // boolean
		['REDIS_URL', 'localhost:6379', /REDIS_URL: /], // Redis URL
		['HFQ_REDIS_KEY_PREFIX', 'desk a', /HFQ_REDIS_KEY_PREFIX: "desk a" must be/], // Redis key prefix
	])('stops the start for %s=%j, naming it and the reason', (name, value, message) => {
		expect(() => loadConfig({ [name]: value })).toThrow(OperatorError);
		expect(() => loadConfig({ [name]: value })).toThrow(message);
	});

	it('lists problems of config.ts and of the pipeline together', () => {
		expect(() => loadConfig({ MATH_SERVICE_PORT: 'x', OLLAMA_TIMEOUT_MS: 'abc', HFQ_PAPER_INITIAL_CASH: '-5' })).toThrow(
			/MATH_SERVICE_PORT[\s\S]*OLLAMA_TIMEOUT_MS[\s\S]*HFQ_PAPER_INITIAL_CASH/,
		);
	});
});

describe('isLoopbackHost', () => {
	it.each([
		['127.0.0.1', true],
		['127.1.2.3', true],
		['localhost', true],
		['::1', true],
		['0.0.0.0', false],
		['10.0.0.5', false],
		['example.com', false],
	])('%s -> %s', (host, expected) => {
		expect(isLoopbackHost(host)).toBe(expected);
	});
});

describe('redactDatabaseUrl', () => {
	it('hides the password of a mysql URL', () => {
		expect(redactDatabaseUrl('mysql://root:s3cret@db:3306/hfq')).toBe('mysql://root:***@db:3306/hfq');
	});
	it('leaves a sqlite URL unchanged', () => {
		expect(redactDatabaseUrl('sqlite:./data/x.db')).toBe('sqlite:./data/x.db');
	});
});

it('SERVICE_VERSION is the math-service package version', () => {
	expect(SERVICE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
});
