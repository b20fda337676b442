/**
 * @module intake/parseTradingViewBody
 * Turns a TradingView webhook body into a typed alert, or throws `AlertParseError` (an
 * `InvalidInputError`) with a reason code and a message that tells the user what to fix.
 *
 * TradingView POSTs the alert's Message verbatim: `Content-Type: application/json` when it is
 * valid JSON, `text/plain` otherwise. Both are read as JSON here (a JSON object inside
 * `text/plain` is fine); a leading BOM and surrounding whitespace are ignored. A missing content
 * type is tolerated; any other media type is refused. A body that is not JSON because a
 * placeholder stayed unexpanded (`"close": {{close}}`) is reported as `unexpanded_placeholder`.
 *
 * The envelope suggested for order-fill alerts, `{"secret":"…","order":{{strategy.order.alert_message}}}`,
 * is unwrapped: the inner object's fields are used, with the outer `secret`.
 *
 * @example
 * const alert = parseTradingViewBody(await c.req.text(), c.req.header('content-type'));
 */
import { AlertParseError } from './AlertParseError.js';
import { findUnexpandedPlaceholders } from './findUnexpandedPlaceholders.js';
import { parseBodyJson } from './parseBodyJson.js';
import { TradingViewAlertWireSchema, type TradingViewAlert } from './tradingViewAlertSchema.js';

/** Largest accepted body, in UTF-8 bytes. The Pine strategy's message is about 350 bytes. */
export const MAX_ALERT_BODY_BYTES = 16_384;

const TEMPLATE_HINT =
	"fix the alert's Message template in TradingView: placeholders are only expanded in the Message field or a strategy order's alert_message, never inside Pine's alert()";

export function parseTradingViewBody(raw: string, contentType: string | undefined): TradingViewAlert {
	if (typeof raw !== 'string') throw new AlertParseError('empty_body', 'body must be text');
	checkContentType(contentType);
	if (Buffer.byteLength(raw, 'utf8') > MAX_ALERT_BODY_BYTES) {
		throw new AlertParseError('body_too_large', `body exceeds ${MAX_ALERT_BODY_BYTES} bytes`);
	}
	const text = raw.replace(/^\uFEFF/, '').trim();
	if (text === '') throw new AlertParseError('empty_body', 'body is empty: the alert Message must be a JSON object');

	const json = parseBodyJson(text);
	if (!json.ok) {
		const error = json.error;
		const placeholders = findUnexpandedPlaceholders(text);
		if (placeholders.length > 0) {
			throw new AlertParseError(
				'unexpanded_placeholder',
				`body contains unexpanded placeholders ${placeholders.map((p) => `{{${p}}}`).join(', ')}; ${TEMPLATE_HINT}`,
			);
		}
		throw new AlertParseError(
			'malformed_json',
			`body is not valid JSON (${(error as Error).message.slice(
				0,
				120,
			)}); TradingView sends text/plain when the alert Message is not valid JSON: check quotes and commas in the Message`,
		);
	}
	const parsed = json.value;
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new AlertParseError('not_an_object', 'body must be a JSON object like {"secret":"…","action":"buy",…}');
	}

	const object = unwrapEnvelope(parsed as Record<string, unknown>);
	rejectPlaceholders(object);

	const result = TradingViewAlertWireSchema.safeParse(object);
	if (!result.success) {
		const issues = result.error.issues;
		const first = issues[0]!;
		const text = issues
			.slice(0, 5)
			.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
			.join('; ');
		throw new AlertParseError('invalid_field', redact(`invalid alert: ${text}`, object.secret), [
			'body',
			...(first.path as (string | number)[]),
		]);
	}
	return result.data;
}

/** Error messages quote offending values; never the secret, even when it was pasted into another field. */
function redact(message: string, secret: unknown): string {
	return typeof secret === 'string' && secret.length >= 6 ? message.split(secret).join('***') : message;
}

function checkContentType(contentType: string | undefined): void {
	if (contentType === undefined || contentType.trim() === '') return;
	const media = contentType.split(';')[0]!.trim().toLowerCase();
	if (media === 'application/json' || media === 'text/plain' || /^application\/[\w.+-]*\+json$/.test(media)) return;
	throw new AlertParseError(
		'unsupported_content_type',
		`content type "${media.slice(0, 60)}" is not accepted; TradingView sends application/json or text/plain`,
	);
}

function unwrapEnvelope(object: Record<string, unknown>): Record<string, unknown> {
	const order = object.order;
	if (object.action === undefined && order !== null && typeof order === 'object' && !Array.isArray(order)) {
		const inner = order as Record<string, unknown>;
		return { ...inner, secret: object.secret ?? inner.secret };
	}
	return object;
}

function rejectPlaceholders(object: Record<string, unknown>): void {
	const problems: string[] = [];
	let firstField: string | null = null;
	for (const [key, value] of Object.entries(object)) {
		if (typeof value !== 'string') continue;
		const names = findUnexpandedPlaceholders(value);
		if (names.length === 0) continue;
		firstField ??= key;
		// The secret's text is never echoed, not even a placeholder taken from it.
		problems.push(key === 'secret' ? 'secret' : `${key} = ${names.map((n) => `{{${n}}}`).join(' ')}`);
	}
	if (firstField !== null) {
		throw new AlertParseError(
			'unexpanded_placeholder',
			`unexpanded placeholders in ${problems.join(', ')}; ${TEMPLATE_HINT}`,
			['body', firstField],
		);
	}
}
