/**
 * @module sweep/liveSwitchFromEnv
 * Is real money allowed to move? Only when `HFQ_MODE` is exactly `LIVE` **and** the second switch
 * `HFQ_LIVE_CONFIRM` is exactly `I_UNDERSTAND_REAL_MONEY`; any other combination answers not live,
 * with the reason naming what is missing. The same two switches arm LIVE execution
 * (execution/liveSettings); the exchange keys are not part of it here, because the sweep uses its
 * own withdrawal key (sweep/sweepSettings).
 */
import { LIVE_CONFIRM_PHRASE } from '../execution/liveSettings.js';

export type LiveSwitch = { live: true } | { live: false; reason: string };

export function liveSwitchFromEnv(env: Record<string, string | undefined>): LiveSwitch {
	const mode = env.HFQ_MODE?.trim() || 'PAPER';
	const confirm = env.HFQ_LIVE_CONFIRM?.trim() ?? '';
	if (mode !== 'LIVE') return { live: false, reason: `HFQ_MODE is ${JSON.stringify(mode)}, not "LIVE"` };
	if (confirm !== LIVE_CONFIRM_PHRASE) return { live: false, reason: `HFQ_MODE is LIVE but HFQ_LIVE_CONFIRM is not ${LIVE_CONFIRM_PHRASE}` };
	return { live: true };
}
