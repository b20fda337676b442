/**
 * @module core/deepFreeze
 * Freezes an object and everything it holds, so a value resolved once (the default thresholds, the
 * default whitelist) can be handed to every request without one of them changing it for the next.
 */
export function deepFreeze<T>(value: T): T {
	if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}
