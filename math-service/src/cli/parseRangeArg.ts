/**
 * @module cli/parseRangeArg
 * `--lookback 10:100:10` and friends: report/parseRangeSpec with its errors turned into a
 * {@link UsageError} (exit code 2) naming the option.
 */
import { InvalidInputError } from '../errors.js';
import { parseRangeSpec } from '../report/parseRangeSpec.js';
import { UsageError } from './UsageError.js';

export function parseRangeArg(spec: string, option: string, opts: { integer?: boolean } = {}): number[] {
	try {
		return parseRangeSpec(spec, option, opts);
	} catch (error) {
		if (error instanceof InvalidInputError) throw new UsageError(error.message);
		throw error;
	}
}
