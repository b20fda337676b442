// The Bot API's `parse_mode: "HTML"` rules (core.telegram.org/bots/api#html-style), checked the way
// Telegram rejects a message: supported tags only (b strong i em u ins s strike del span
// class="tg-spoiler" tg-spoiler a href tg-emoji code pre blockquote), properly nested and closed;
// `<`, `>` and `&` outside tags must be entities (&lt; &gt; &amp; &quot; or numeric). The
// "Unsupported start tag" wording is the one in telegram/errors.http.json; the other error texts
// follow the same pattern and are approximate. Returns the plain text (tags stripped, entities
// decoded), whose length is what the 4096/1024 limits apply to.

const SUPPORTED = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type HtmlParse = { ok: true; text: string } | { ok: false; error: string };

const byteOffset = (source: string, index: number) => Buffer.byteLength(source.slice(0, index));

export function parseTelegramHtml(source: string): HtmlParse {
	const open: { name: string; at: number }[] = [];
	let text = '';
	let i = 0;
	const fail = (message: string): HtmlParse => ({ ok: false, error: `can't parse entities: ${message}` });
	while (i < source.length) {
		const ch = source[i];
		if (ch === '<') {
			const end = source.indexOf('>', i);
			const tag = end === -1 ? null : /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*>$/.exec(source.slice(i, end + 1));
			if (!tag) return fail(`Unexpected character "<" at byte offset ${byteOffset(source, i)}`);
			const [, closing, rawName, attrs] = tag;
			const name = rawName.toLowerCase();
			if (closing) {
				const top = open.pop();
				if (!top) return fail(`Unexpected end tag at byte offset ${byteOffset(source, i)}`);
				if (top.name !== name) {
					return fail(`Unmatched end tag at byte offset ${byteOffset(source, i)}, expected "</${top.name}>", found "</${name}>"`);
				}
			} else {
				if (!SUPPORTED.has(name)) return fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(source, i)}`);
				if (name === 'span' && !/class\s*=\s*["']?tg-spoiler/.test(attrs)) {
					return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, i)}`);
				}
				open.push({ name, at: i });
			}
			i = end + 1;
		} else if (ch === '>') {
			return fail(`Unexpected character ">" at byte offset ${byteOffset(source, i)}`);
		} else if (ch === '&') {
			const entity = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);/.exec(source.slice(i, i + 12));
			if (entity && entity[1].startsWith('#')) {
				const code = entity[1][1] === 'x' ? parseInt(entity[1].slice(2), 16) : Number(entity[1].slice(1));
				text += String.fromCodePoint(code);
				i += entity[0].length;
			} else if (entity && NAMED[entity[1]] !== undefined) {
				text += NAMED[entity[1]];
				i += entity[0].length;
			} else {
				// Telegram keeps a bare "&" or an unknown entity as text
				text += ch;
				i += 1;
			}
		} else {
			text += ch;
			i += 1;
		}
	}
	const unclosed = open.pop();
	if (unclosed) return fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
	return { ok: true, text };
}
