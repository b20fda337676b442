import { describe, expect, it } from 'vitest';

import { loadErrors } from './fakeServer';
import { parseTelegramHtml } from './telegramHtml';

describe('parseTelegramHtml', () => {
	it('strips supported tags and decodes entities to the text Telegram counts', () => {
		expect(parseTelegramHtml('<b>BTC/USDT</b> long &amp; <i>R/R</i> 2.1 &lt; 3 <a href="https://x.example/?a=1&amp;b=2">link</a>')).toEqual({
			ok: true,
			text: 'BTC/USDT long & R/R 2.1 < 3 link',
		});
		expect(parseTelegramHtml('<span class="tg-spoiler">x</span><pre><code class="language-json">{}</code></pre>&#8364;')).toEqual({ ok: true, text: 'x{}€' });
	});

	it('rejects <br> with the message and byte offset from errors.http.json', () => {
		const sample = loadErrors('telegram').bad_parse_mode_400.body as { description: string };
		const result = parseTelegramHtml('Entry 87,420<br>SL 85,900');
		expect(result.ok).toBe(false);
		expect(`Bad Request: ${(result as { error: string }).error}`).toBe(sample.description);
	});

	it('rejects unclosed, crossed and stray markup', () => {
		expect(parseTelegramHtml('<b>bold').ok).toBe(false);
		expect(parseTelegramHtml('<b><i>x</b></i>').ok).toBe(false);
		expect(parseTelegramHtml('2 < 3').ok).toBe(false);
		expect(parseTelegramHtml('3 > 2').ok).toBe(false);
		expect(parseTelegramHtml('<span>x</span>').ok).toBe(false);
	});

	it('counts byte offsets in UTF-8', () => {
		expect(parseTelegramHtml('€<br>')).toEqual({ ok: false, error: `can't parse entities: Unsupported start tag "br" at byte offset 3` });
	});
});
