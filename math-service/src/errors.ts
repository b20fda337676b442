/**
 * @module errors
 * Errors are named for what the caller does next:
 * - `InvalidInputError`: fix the input and send it again (HTTP 4xx, n8n NodeOperationError).
 * - `RetryableError`: a dependency is briefly unavailable; the same call may succeed later.
 * - `OperatorError`: configuration or state needs a human (a missing secret, a halted desk).
 */

/** The caller's input is wrong; retrying it unchanged will fail the same way. */
export class InvalidInputError extends Error {
	override readonly name = 'InvalidInputError';
	constructor(
		message: string,
		/** Where in the input the problem is, FastAPI-style (e.g. ['body', 'returns', 3]). */
		readonly loc: (string | number)[] = [],
	) {
		super(message);
	}
}

/** A dependency (database, exchange, LLM) failed transiently; retry after `retryAfterMs` if given. */
export class RetryableError extends Error {
	override readonly name = 'RetryableError';
	constructor(
		message: string,
		readonly retryAfterMs: number | null = null,
		options?: { cause?: unknown },
	) {
		super(message, options);
	}
}

/** Something only an operator can fix: configuration, credentials, a LIVE switch, a corrupt ledger. */
export class OperatorError extends Error {
	override readonly name = 'OperatorError';
}
