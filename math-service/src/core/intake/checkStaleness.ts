/**
 * @module intake/checkStaleness
 * A signal is only worth acting on while its price is current. Lag = `nowMs − alertTimeMs`; the
 * alert passes when `−maxFutureSkewMs ≤ lag ≤ maxLagMs`. A late alert (a TradingView retry after
 * 5xx comes 5 s, 10 s, 15 s later; a queue that backed up) is `stale`; one dated further in the
 * future than the allowed clock skew is `future_time` (a wrong clock or a forged time).
 *
 * The alert time must be the *event* time (Pine `time_close` or `{{timenow}}`). TradingView's
 * `{{time}}` is the bar's OPEN: for such templates use `evaluateIntake`'s `alertTimeIs:
 * 'bar_open'`, which adds one bar interval before calling this.
 */
import { InvalidInputError } from '../../errors.js';

export const DEFAULT_MAX_LAG_MS = 60_000;
export const DEFAULT_MAX_FUTURE_SKEW_MS = 5_000;

export interface StalenessResult {
	passed: boolean;
	reasonCode: 'stale' | 'future_time' | null;
	/** now − alert time; negative when the alert is dated in the future. */
	lagMs: number;
	maxLagMs: number;
	maxFutureSkewMs: number;
	detail: string;
}

export function checkStaleness(
	alertTimeMs: number,
	nowMs: number,
	maxLagMs: number = DEFAULT_MAX_LAG_MS,
	maxFutureSkewMs: number = DEFAULT_MAX_FUTURE_SKEW_MS,
): StalenessResult {
	for (const [name, v] of Object.entries({ alertTimeMs, nowMs, maxLagMs, maxFutureSkewMs })) {
		if (!Number.isFinite(v) || ((name === 'maxLagMs' || name === 'maxFutureSkewMs') && v < 0)) {
			throw new InvalidInputError(`${name} must be a finite number${name.startsWith('max') ? ' ≥ 0' : ''}`, [name]);
		}
	}
	const lagMs = nowMs - alertTimeMs;
	const base = { lagMs, maxLagMs, maxFutureSkewMs };
	if (lagMs > maxLagMs) {
		return {
			...base,
			passed: false,
			reasonCode: 'stale',
			detail: `alert is ${lagMs} ms old, more than the maximum lag of ${maxLagMs} ms`,
		};
	}
	if (-lagMs > maxFutureSkewMs) {
		return {
			...base,
			passed: false,
			reasonCode: 'future_time',
			detail: `alert time is ${-lagMs} ms in the future, more than the allowed clock skew of ${maxFutureSkewMs} ms`,
		};
	}
	return { ...base, passed: true, reasonCode: null, detail: `lag ${lagMs} ms ≤ ${maxLagMs} ms` };
}
