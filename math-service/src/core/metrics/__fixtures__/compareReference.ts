/**
 * Test helper: compares a computed value with a reference-library value at the tolerance the
 * fixture states (1e-9 relative; an absolute floor of 1e-15 only where the reference is 0, e.g.
 * the drawdown of an all-positive series). A null reference means the library answered NaN/inf
 * or the documented null rule applies; the computed value must then be null too.
 */
import { expect } from 'vitest';

export const RELATIVE_TOLERANCE = 1e-9;
export const ABSOLUTE_FLOOR_FOR_ZERO = 1e-15;

export function expectMatchesReference(actual: number | null, expected: number | null, label: string): void {
	if (expected === null) {
		expect(actual, `${label}: reference is null (NaN/inf or documented null rule)`).toBeNull();
		return;
	}
	expect(actual, `${label}: reference is ${expected}`).not.toBeNull();
	const difference = Math.abs((actual as number) - expected);
	const allowed = expected === 0 ? ABSOLUTE_FLOOR_FOR_ZERO : RELATIVE_TOLERANCE * Math.abs(expected);
	expect(difference, `${label}: got ${actual}, reference ${expected}`).toBeLessThanOrEqual(allowed);
}
