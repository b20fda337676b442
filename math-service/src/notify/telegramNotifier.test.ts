import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../test/fakes/fakeTelegram';
import { OperatorError, RetryableError } from '../errors';
import { createTelegramNotifier } from './telegramNotifier';

const TOKEN = '7000000001:AAwatchdogtoken_abcdefghijklmnopqrstu';
let telegram: FakeTelegram;

beforeAll(async () => {
	telegram = await startFakeTelegram({ tokens: [TOKEN] });
});
afterAll(async () => telegram.close());
beforeEach(() => telegram.reset());

describe('createTelegramNotifier', () => {
	it('sends the text to the chat through sendMessage at the configured base URL', async () => {
		const notifier = createTelegramNotifier({ baseUrl: `${telegram.url}/`, botToken: TOKEN, chatId: '-1001234567890' });
		await notifier.send('risk monitor stale for 95 s');
		const [call] = telegram.callsTo('sendMessage');
		expect(call?.token).toBe(TOKEN);
		expect(call?.fields).toMatchObject({ chat_id: '-1001234567890', text: 'risk monitor stale for 95 s' });
		expect(call?.status).toBe(200);
		expect(notifier.target).toBe('Telegram chat -1001234567890');
	});

	it('cuts a text longer than 4096 characters instead of having it refused', async () => {
		await createTelegramNotifier({ baseUrl: telegram.url, botToken: TOKEN, chatId: '42' }).send('x'.repeat(5000));
		expect(String(telegram.callsTo('sendMessage')[0]?.fields.text)).toHaveLength(4096);
	});

	it('flood control (429) is retryable with Telegram’s retry_after', async () => {
		telegram.failNext('sendMessage', 'flood_429');
		const error = await createTelegramNotifier({ baseUrl: telegram.url, botToken: TOKEN, chatId: '42' }).send('hi').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableError);
		expect((error as RetryableError).retryAfterMs).toBeGreaterThan(0);
	});

	it('a wrong token or chat is an operator problem, and the message never contains the token', async () => {
		const error = await createTelegramNotifier({ baseUrl: telegram.url, botToken: '7000000002:AAnottheconfiguredtoken_abcdefghijk', chatId: '42' }).send('hi').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OperatorError);
		expect((error as Error).message).not.toContain('7000000002');
		telegram.failNext('sendMessage', 'chat_not_found_400');
		await expect(createTelegramNotifier({ baseUrl: telegram.url, botToken: TOKEN, chatId: '42' }).send('hi')).rejects.toThrow(/chat not found/);
	});

	it('an unreachable Telegram is retryable', async () => {
		const error = await createTelegramNotifier({ baseUrl: 'http://127.0.0.1:1', botToken: TOKEN, chatId: '42', timeoutMs: 2_000 }).send('hi').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RetryableError);
		expect((error as Error).message).not.toContain(TOKEN);
	});
});
