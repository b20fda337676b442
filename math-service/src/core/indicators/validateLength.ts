/**
 * @module validateLength
 * Shared argument check for indicator lengths (Pine requires a positive integer `length`).
 */
import { InvalidInputError } from '../../errors.js';

/** Throws InvalidInputError unless `length` is an integer >= `min` (1 unless told otherwise). */
export function validateLength(name: string, length: number, min = 1): number {
	if (!Number.isInteger(length) || length < min) {
		throw new InvalidInputError(`${name}: length must be an integer >= ${min}, got ${length}`, ['length']);
	}
	return length;
}

/** Pine's `na` in streaming inputs: `null` or NaN. */
export function isNa(x: number | null | undefined): x is null | undefined {
	return x === null || x === undefined || x !== x;
}
