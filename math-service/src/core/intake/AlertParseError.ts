/**
 * @module intake/AlertParseError
 * Why a webhook body could not become an alert. The caller fixes the alert's message template in
 * TradingView; nothing is stored. HTTP mapping: `unsupported_content_type` → 415,
 * `body_too_large` → 413, `empty_body`/`malformed_json`/`not_an_object` → 400,
 * `unexpanded_placeholder`/`invalid_field` → 422.
 */
import { InvalidInputError } from '../../errors.js';

export type AlertParseReasonCode =
	| 'empty_body'
	| 'body_too_large'
	| 'unsupported_content_type'
	| 'malformed_json'
	| 'not_an_object'
	| 'unexpanded_placeholder'
	| 'invalid_field';

/** Suggested HTTP status per parse reason. */
export const ALERT_PARSE_HTTP_STATUS: Record<AlertParseReasonCode, number> = {
	empty_body: 400,
	body_too_large: 413,
	unsupported_content_type: 415,
	malformed_json: 400,
	not_an_object: 400,
	unexpanded_placeholder: 422,
	invalid_field: 422,
};

export class AlertParseError extends InvalidInputError {
	constructor(readonly reasonCode: AlertParseReasonCode, message: string, loc: (string | number)[] = ['body']) {
		super(message, loc);
	}

	get httpStatus(): number {
		return ALERT_PARSE_HTTP_STATUS[this.reasonCode];
	}
}
