/**
 * @module validateReturns
 * Input guards shared by the risk math. A return series is a list of simple per-period returns
 * (0.01 = +1 %); one NaN or Infinity poisons every mean, quantile and drawdown downstream, so it
 * is refused with the index to fix instead of being skipped silently (empyrical skips NaN; we
 * do not, because a silently shorter series changes annualisation).
 */
import { InvalidInputError } from '../../errors.js';

/**
 * Throws `InvalidInputError` (loc `[field, index]`) at the first non-finite return.
 * Units: simple returns as fractions. Empty input is allowed (callers decide what it means).
 */
export function validateReturns(returns: ArrayLike<number>, field = 'returns'): void {
	if (returns === null || typeof returns !== 'object' || typeof returns.length !== 'number') {
		throw new InvalidInputError(`${field} must be an array of numbers`, [field]);
	}
	for (let i = 0; i < returns.length; i++) {
		const value = returns[i];
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			throw new InvalidInputError(
				`${field}[${i}] must be a finite number (got ${String(value)}); remove or fill the gap`,
				[field, i],
			);
		}
	}
}

/** Throws unless `periodsPerYear` is a finite number > 0 (365 daily, 8760 hourly, 525600 minute). */
export function validatePeriodsPerYear(periodsPerYear: number): void {
	if (typeof periodsPerYear !== 'number' || !Number.isFinite(periodsPerYear) || periodsPerYear <= 0) {
		throw new InvalidInputError(
			`periodsPerYear must be a finite number > 0, e.g. 365 for daily, 8760 for hourly, 525600 for minute bars (got ${String(periodsPerYear)})`,
			['periodsPerYear'],
		);
	}
}
