import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_PARSE_HTTP_STATUS } from '../core/intake/AlertParseError';
import type { IntakeRejectCode, IntakeUnauthorizedCode } from '../core/intake/evaluateIntake';
import type { RiskReasonCode } from '../core/risk/RiskGate';
import { REASON_CODES } from './reasonCodes';

// Every code the core can produce, listed by hand so a new core code fails this test until documented.
const RISK: Record<RiskReasonCode, true> = {
	no_equity: true, zero_size: true, halted: true, daily_drawdown_halt: true, operator_halt: true, invalid_levels: true, reward_risk_below_min: true,
	max_position_per_asset: true, portfolio_heat: true, insufficient_cash: true, var_budget: true, var_unavailable: true,
	panic_switch: true, panic_unavailable: true,
};
const INTAKE: Record<IntakeRejectCode | IntakeUnauthorizedCode, true> = {
	unrecognized_symbol: true, not_whitelisted: true, no_tradable_token: true, stale: true, future_time: true, ip_not_allowed: true, bad_secret: true,
};

describe('reason codes', () => {
	it('cover every risk and intake code of the core', () => {
		for (const code of [...Object.keys(RISK), ...Object.keys(INTAKE)]) expect(REASON_CODES, code).toHaveProperty(code);
	});

	it('are all documented in docs/api.md, with the parse codes', () => {
		const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'api.md'), 'utf8');
		for (const code of [...Object.keys(REASON_CODES), ...Object.keys(ALERT_PARSE_HTTP_STATUS), 'invalid_thresholds']) expect(doc, code).toContain(`\`${code}\``);
	});
});
