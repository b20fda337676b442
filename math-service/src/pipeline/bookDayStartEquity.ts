/**
 * @module pipeline/bookDayStartEquity
 * The daily-drawdown halt compares equity with the equity at 00:00 UTC. That reference must be
 * booked before the day's first risk-monitor tick marks positions to this tick's prices and closes
 * any of them: booked afterwards (from the equity the tick just computed) a loss already taken at
 * the first tick would become the day's starting point and the halt would never see it. So the tick
 * books it first: the latest equity snapshot at or before midnight, else the equity with the open
 * positions marked at the closes stored before this tick (pipeline/accountState's rule).
 */
import type { Repositories } from '../storage/openStorage.js';
import { dayStartKey, ensurePaperAccount, loadAccountState } from './accountState.js';

/**
 * Books `day_start_equity:<today>` in risk_state when it is not booked yet; a no-op otherwise. The
 * paper account's starting deposit is booked first: a tick on a fresh desk (the monitor runs before
 * the first alert) must not book 0 as the day's start, which would refuse every entry that day.
 */
export async function bookDayStartEquity(repos: Repositories, nowMs: number, initialCash: number): Promise<void> {
	if ((await repos.riskState.get(dayStartKey(nowMs))) !== null) return;
	await ensurePaperAccount(repos, initialCash, nowMs);
	await loadAccountState(repos, nowMs);
}
