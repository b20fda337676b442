/**
 * @module cli/UsageError
 * A command line the CLI cannot run: an unknown option, a missing value, a malformed number, a
 * file that does not exist. The CLI prints the message (and the usage) and exits with code 2, the
 * shell convention for "wrong usage"; the user fixes the command and runs it again.
 */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** Exit code for wrong usage (bad arguments, missing input). */
export const EXIT_USAGE = 2;
/** Exit code for a failure after the arguments were accepted. */
export const EXIT_FAILURE = 1;
