/**
 * @module intake/findUnexpandedPlaceholders
 * TradingView replaces `{{close}}`, `{{ticker}}`, `{{strategy.order.price}}`… only in the alert's
 * Message field (and in `alert_message` of strategy orders); `alert()` in Pine never expands them.
 * A placeholder that reaches us verbatim means the alert's message template is wrong, so it is
 * reported by name instead of as a confusing "not a number".
 */

const PLACEHOLDER = /\{\{\s*([^{}]{1,80}?)\s*\}\}/g;

/** The distinct placeholder names (`close`, `strategy.order.price`) found in `text`, at most `limit`. */
export function findUnexpandedPlaceholders(text: string, limit = 10): string[] {
	const found = new Set<string>();
	for (const m of text.matchAll(PLACEHOLDER)) {
		found.add(m[1]!);
		if (found.size >= limit) break;
	}
	return [...found];
}
