/**
 * @module risk/riskGateContextSchema
 * Zod validation of `RiskGateContext` (camelCase). `evaluateRiskGates` runs it first and throws
 * `InvalidInputError` with the path of the first bad field, so a NaN from upstream never reaches a
 * limit comparison (NaN compares false and would silently pass a `>` check).
 */
import { z } from 'zod';
import { InvalidInputError } from '../../errors.js';
import type { RiskGateContext } from './RiskGate.js';

const finite = z.number().finite();
const positive = finite.gt(0);
const symbol = z
	.string()
	.trim()
	.min(3)
	.max(64)
	.regex(/^[A-Za-z0-9]+\/[A-Za-z0-9]+$/, 'must be BASE/QUOTE, e.g. BTC/USDT');

export const OpenPositionSchema = z.object({
	symbol,
	quantity: finite.nonnegative(),
	entryPrice: positive,
	stopPrice: finite.nonnegative().nullable(),
	markPrice: positive,
	openedAtMs: finite,
});

export const RiskCandidateSchema = z.object({
	symbol,
	entry: positive,
	stop: finite.nonnegative(),
	target: positive,
	positionRatio: finite.nonnegative(),
	quantity: finite.nonnegative(),
});

export const RiskGateContextSchema = z.object({
	nowMs: finite,
	equity: finite,
	cash: finite,
	openPositions: z.array(OpenPositionSchema).max(10_000),
	dayStartEquity: finite,
	haltUntilMs: finite.nullable(),
	candidate: RiskCandidateSchema,
	varPerPositionRatio: finite.nullable().optional(),
});

/** Throws `InvalidInputError` (loc `['context', …path]`) unless `ctx` is a well-formed context. */
export function validateRiskGateContext(ctx: unknown): RiskGateContext {
	const result = RiskGateContextSchema.safeParse(ctx);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		const path = issue.path as (string | number)[];
		throw new InvalidInputError(`risk context ${path.join('.')}: ${issue.message}`, ['context', ...path]);
	}
	return result.data;
}
