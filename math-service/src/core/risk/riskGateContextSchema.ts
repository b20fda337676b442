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
	operatorHalt: z.object({ sinceMs: finite, by: z.string().max(256) }).nullable().optional(),
	panicScore: finite.min(0).max(100).nullable().optional(),
});

const SYMBOL = /^[A-Za-z0-9]+\/[A-Za-z0-9]+$/;
const isSymbol = (s: unknown) => typeof s === 'string' && s.length >= 3 && s.length <= 64 && SYMBOL.test(s);
const isFinite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const atLeastZero = (x: unknown) => isFinite(x) && x >= 0;
const aboveZero = (x: unknown) => isFinite(x) && x > 0;
const isOperatorHalt = (h: unknown) =>
	typeof h === 'object' && isFinite((h as { sinceMs?: unknown }).sinceMs) && typeof (h as { by?: unknown }).by === 'string' && (h as { by: string }).by.length <= 256;

/**
 * The schema's rules checked by hand, for the decision hot path (no allocation): true only when the
 * schema would accept `ctx` unchanged (symbols without surrounding blanks, so `trim` is a no-op).
 */
function isWellFormed(ctx: unknown): ctx is RiskGateContext {
	if (ctx === null || typeof ctx !== 'object') return false;
	const c = ctx as Record<string, unknown>;
	if (!isFinite(c.nowMs) || !isFinite(c.equity) || !isFinite(c.cash) || !isFinite(c.dayStartEquity)) return false;
	if (c.haltUntilMs !== null && !isFinite(c.haltUntilMs)) return false;
	if (c.varPerPositionRatio !== undefined && c.varPerPositionRatio !== null && !isFinite(c.varPerPositionRatio)) return false;
	if (c.operatorHalt !== undefined && c.operatorHalt !== null && !isOperatorHalt(c.operatorHalt)) return false;
	if (c.panicScore !== undefined && c.panicScore !== null && !(isFinite(c.panicScore) && c.panicScore >= 0 && c.panicScore <= 100)) return false;
	const k = c.candidate as Record<string, unknown> | null;
	if (k === null || typeof k !== 'object' || !isSymbol(k.symbol)) return false;
	if (!aboveZero(k.entry) || !atLeastZero(k.stop) || !aboveZero(k.target) || !atLeastZero(k.positionRatio) || !atLeastZero(k.quantity)) return false;
	const positions = c.openPositions;
	if (!Array.isArray(positions) || positions.length > 10_000) return false;
	for (const p of positions as Record<string, unknown>[]) {
		if (p === null || typeof p !== 'object' || !isSymbol(p.symbol)) return false;
		if (!atLeastZero(p.quantity) || !aboveZero(p.entryPrice) || !aboveZero(p.markPrice) || !isFinite(p.openedAtMs)) return false;
		if (p.stopPrice !== null && !atLeastZero(p.stopPrice)) return false;
	}
	return true;
}

/** Throws `InvalidInputError` (loc `['context', …path]`) unless `ctx` is a well-formed context. */
export function validateRiskGateContext(ctx: unknown): RiskGateContext {
	// Well-formed contexts (every one the pipeline builds) skip the schema; anything else gets its message.
	if (isWellFormed(ctx)) return ctx;
	const result = RiskGateContextSchema.safeParse(ctx);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		const path = issue.path as (string | number)[];
		throw new InvalidInputError(`risk context ${path.join('.')}: ${issue.message}`, ['context', ...path]);
	}
	return result.data;
}
