/**
 * @module sweep/liveSwitchFromEnv
 * Is real money allowed to move? Only when `HFQ_MODE` is exactly `LIVE` **and** the second switch
 * `HFQ_LIVE_CONFIRM` is exactly `I_UNDERSTAND_REAL_MONEY`; any other combination answers not live,
 * with the reason naming what is missing. Read here, apart from the service's config, so a sweep
 * never moves funds because one variable was set by accident.
 */
export const LIVE_CONFIRM_VALUE = 'I_UNDERSTAND_REAL_MONEY';

export type LiveSwitch = { live: true } | { live: false; reason: string };

export function liveSwitchFromEnv(env: Record<string, string | undefined>): LiveSwitch {
	const mode = env.HFQ_MODE?.trim() || 'PAPER';
	const confirm = env.HFQ_LIVE_CONFIRM?.trim() ?? '';
	if (mode !== 'LIVE') return { live: false, reason: `HFQ_MODE is ${JSON.stringify(mode)}, not "LIVE"` };
	if (confirm !== LIVE_CONFIRM_VALUE) return { live: false, reason: `HFQ_MODE is LIVE but HFQ_LIVE_CONFIRM is not ${LIVE_CONFIRM_VALUE}` };
	return { live: true };
}
