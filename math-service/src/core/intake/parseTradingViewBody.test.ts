import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { AlertParseError } from './AlertParseError.js';
import { MAX_ALERT_BODY_BYTES, parseTradingViewBody } from './parseTradingViewBody.js';

const PINE_BODY = JSON.stringify({
	secret: 's3cret',
	alert_id: 'BINANCE:BTCUSDT-60-1740000000000-long',
	action: 'buy',
	ticker: 'BTCUSDT',
	exchange: 'BINANCE',
	interval: '60',
	time: 1740003600000,
	bar_time: 1740000000000,
	close: 84012.5,
	vwap: 86020.1,
	stop: 81492.1,
	target: 86020.1,
});

function reasonOf(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(AlertParseError);
		expect(error).toBeInstanceOf(InvalidInputError);
		return (error as AlertParseError).reasonCode;
	}
	throw new Error('expected a parse error');
}

describe('parseTradingViewBody', () => {
	it('returns the camelCase alert for the Pine strategy JSON body', () => {
		expect(parseTradingViewBody(PINE_BODY, 'application/json')).toEqual({
			secret: 's3cret',
			alertId: 'BINANCE:BTCUSDT-60-1740000000000-long',
			action: 'buy',
			ticker: 'BTCUSDT',
			exchange: 'BINANCE',
			interval: '60',
			timeMs: 1740003600000,
			close: 84012.5,
			vwap: 86020.1,
			stop: 81492.1,
			target: 86020.1,
		});
	});

	it('accepts the same JSON sent as text/plain with a BOM, charset and trailing whitespace', () => {
		const alert = parseTradingViewBody(`\uFEFF  ${PINE_BODY}\r\n\n `, 'text/plain; charset=utf-8');
		expect(alert.close).toBe(84012.5);
		expect(parseTradingViewBody(PINE_BODY, undefined).ticker).toBe('BTCUSDT');
	});

	it('coerces substituted numbers sent as strings and lower-cases the action', () => {
		const body = JSON.stringify({
			secret: 'x',
			action: 'BUY',
			ticker: 'BINANCE:ETHUSDT',
			time: '2025-02-19T21:20:00Z',
			close: '2650.5',
			vwap: '',
			stop: '2600',
			target: ' 2800 ',
		});
		const alert = parseTradingViewBody(body, 'application/json');
		expect(alert).toMatchObject({
			action: 'buy',
			close: 2650.5,
			stop: 2600,
			target: 2800,
			vwap: null,
			timeMs: 1740000000000,
			alertId: null,
			exchange: null,
			interval: null,
		});
	});

	it('reads a numeric secret as its text and a null secret as absent', () => {
		const numeric = JSON.stringify({ ...JSON.parse(PINE_BODY), secret: 12345 });
		expect(parseTradingViewBody(numeric, 'application/json').secret).toBe('12345');
		const absent = JSON.stringify({ ...JSON.parse(PINE_BODY), secret: null });
		expect(parseTradingViewBody(absent, 'application/json').secret).toBeUndefined();
	});

	it('accepts sell and exit without stop/target (closes)', () => {
		const body = JSON.stringify({ secret: 'x', action: 'Exit', ticker: 'BTCUSDT', time: 1740000000, close: 1 });
		expect(parseTradingViewBody(body, 'application/json')).toMatchObject({
			action: 'exit',
			timeMs: 1740000000000,
			stop: null,
		});
	});

	it('unwraps the {"secret", "order": {{strategy.order.alert_message}}} envelope', () => {
		const order = JSON.parse(PINE_BODY) as Record<string, unknown>;
		delete order.secret;
		const alert = parseTradingViewBody(JSON.stringify({ secret: 'outer', order }), 'application/json');
		expect(alert.secret).toBe('outer');
		expect(alert.ticker).toBe('BTCUSDT');
	});

	it('rejects unexpanded placeholders inside strings, naming the field and the placeholder', () => {
		const body = PINE_BODY.replace('84012.5', '"{{close}}"');
		try {
			parseTradingViewBody(body, 'application/json');
			expect.unreachable();
		} catch (error) {
			expect((error as AlertParseError).reasonCode).toBe('unexpanded_placeholder');
			expect((error as Error).message).toMatch(/close.*\{\{close\}\}/);
			expect((error as Error).message).toMatch(/message template/i);
		}
	});

	it('rejects unquoted placeholders that made the body invalid JSON (TradingView then sends text/plain)', () => {
		const body = PINE_BODY.replace('81492.1', '{{strategy.order.price}}');
		expect(reasonOf(() => parseTradingViewBody(body, 'text/plain'))).toBe('unexpanded_placeholder');
		expect(() => parseTradingViewBody(body, 'text/plain')).toThrow(/strategy\.order\.price/);
	});

	it("rejects the seed's original alertcondition message: placeholders unexpanded, then fields missing", () => {
		const seed = '{"action":"BUY","ticker":"{{ticker}}","price":{{close}}}';
		expect(reasonOf(() => parseTradingViewBody(seed, 'text/plain'))).toBe('unexpanded_placeholder');
		const expanded = '{"action":"BUY","ticker":"BTCUSDT","price":84012.5}';
		expect(() => parseTradingViewBody(expanded, 'application/json')).toThrow(/time.*close|close.*time/s);
	});

	it('never echoes the secret value in an error message', () => {
		const body = JSON.stringify({ secret: 'hunter2-{{plot_0}}', action: 'buy', ticker: 'BTCUSDT', time: 1, close: 1 });
		expect(() => parseTradingViewBody(body, 'application/json')).toThrow(/secret/);
		try {
			parseTradingViewBody(body, 'application/json');
		} catch (error) {
			expect((error as Error).message).not.toMatch(/hunter2/);
		}
	});

	it('redacts the secret when it was pasted into another field', () => {
		const body = PINE_BODY.replace('1740003600000', '"s3cret-long-token"').replace('"s3cret"', '"s3cret-long-token"');
		expect(() => parseTradingViewBody(body, 'application/json')).toThrow(/time.*\*\*\*/);
	});

	it('returns a reason code for each malformed body', () => {
		expect(reasonOf(() => parseTradingViewBody('', 'application/json'))).toBe('empty_body');
		expect(reasonOf(() => parseTradingViewBody('\uFEFF \n', 'text/plain'))).toBe('empty_body');
		expect(reasonOf(() => parseTradingViewBody('BUY BTCUSDT @ 84000', 'text/plain'))).toBe('malformed_json');
		expect(reasonOf(() => parseTradingViewBody('[1,2]', 'application/json'))).toBe('not_an_object');
		expect(reasonOf(() => parseTradingViewBody('null', 'application/json'))).toBe('not_an_object');
		expect(reasonOf(() => parseTradingViewBody(PINE_BODY, 'application/x-www-form-urlencoded'))).toBe(
			'unsupported_content_type',
		);
		expect(reasonOf(() => parseTradingViewBody(' '.repeat(MAX_ALERT_BODY_BYTES) + PINE_BODY, 'application/json'))).toBe(
			'body_too_large',
		);
	});

	it('returns invalid_field with the field path for schema violations', () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ action: 'short' }, 'action'],
			[{ close: 'abc' }, 'close'],
			[{ close: -1 }, 'close'],
			[{ close: '1,234.5' }, 'close'],
			[{ stop: null }, 'stop'],
			[{ time: 'yesterday' }, 'time'],
			[{ ticker: 'X'.repeat(65) }, 'ticker'],
			[{ ticker: '' }, 'ticker'],
			[{ secret: 's'.repeat(257) }, 'secret'],
		];
		for (const [patch, field] of cases) {
			const body = JSON.stringify({ ...JSON.parse(PINE_BODY), ...patch });
			try {
				parseTradingViewBody(body, 'application/json');
				expect.unreachable(field);
			} catch (error) {
				expect((error as AlertParseError).reasonCode, field).toBe('invalid_field');
				expect((error as AlertParseError).loc, field).toEqual(['body', field]);
			}
		}
	});

	it('throws only AlertParseError (never a TypeError) on arbitrary text', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string(),
					fc.json(),
					fc.jsonValue().map((v) => JSON.stringify(v)),
				),
				fc.constantFrom('application/json', 'text/plain', undefined),
				(raw, ct) => {
					try {
						parseTradingViewBody(raw, ct);
					} catch (error) {
						expect(error).toBeInstanceOf(AlertParseError);
					}
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('survives deeply nested JSON within the size limit', () => {
		expect(reasonOf(() => parseTradingViewBody('['.repeat(8000) + ']'.repeat(8000), 'application/json'))).toBe(
			'not_an_object',
		);
	});
});
