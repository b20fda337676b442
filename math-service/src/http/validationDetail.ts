/**
 * @module validationDetail
 * Turns zod issues into FastAPI's 422 body, `{"detail":[{type, loc, msg, input, ctx?}]}`, so clients
 * written against seed 1's FastAPI app (pydantic v2) keep working. Type names and messages follow
 * pydantic v2 (`missing` "Field required", `float_parsing`, `greater_than_equal`, `enum`, …);
 * `loc` starts with the request part (`body`, `query`, `path`, `header`) and then the field path.
 */
import type { z } from 'zod';

export type Loc = (string | number)[];

/** One entry of FastAPI's `detail` array. */
export interface ValidationDetailItem {
	type: string;
	loc: Loc;
	msg: string;
	input: unknown;
	ctx?: Record<string, unknown>;
}

/** Hono validator targets → FastAPI loc prefixes. */
const LOC_PREFIX: Record<string, string> = {
	json: 'body',
	form: 'body',
	query: 'query',
	param: 'path',
	header: 'header',
	cookie: 'cookie',
};

export function locPrefixFor(target: string): string {
	return LOC_PREFIX[target] ?? target;
}

/** The value at `path` inside `root`, or undefined when the path leaves the value. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
	let cur: unknown = root;
	for (const key of path) {
		if (cur === null || typeof cur !== 'object') return undefined;
		if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
		cur = (cur as Record<PropertyKey, unknown>)[key];
	}
	return cur;
}

const fmt = (v: unknown): string => (typeof v === 'bigint' ? v.toString() : String(v));

function enumMessage(values: readonly unknown[]): string {
	const quoted = values.map((v) => (typeof v === 'string' ? `'${v}'` : fmt(v)));
	if (quoted.length <= 1) return quoted.join('');
	return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function typeIssue(expected: string, input: unknown): Pick<ValidationDetailItem, 'type' | 'msg'> {
	switch (expected) {
		case 'number':
			if (typeof input === 'number') return { type: 'finite_number', msg: 'Input should be a finite number' };
			if (typeof input === 'string') {
				return { type: 'float_parsing', msg: 'Input should be a valid number, unable to parse string as a number' };
			}
			return { type: 'float_type', msg: 'Input should be a valid number' };
		case 'int':
			if (typeof input === 'number' && Number.isFinite(input)) {
				return { type: 'int_from_float', msg: 'Input should be a valid integer, got a number with a fractional part' };
			}
			if (typeof input === 'string') {
				return { type: 'int_parsing', msg: 'Input should be a valid integer, unable to parse string as an integer' };
			}
			return { type: 'int_type', msg: 'Input should be a valid integer' };
		case 'string':
			return { type: 'string_type', msg: 'Input should be a valid string' };
		case 'boolean':
			return { type: 'bool_type', msg: 'Input should be a valid boolean' };
		case 'array':
			return { type: 'list_type', msg: 'Input should be a valid list' };
		case 'object':
		case 'record':
			return { type: 'model_attributes_type', msg: 'Input should be a valid dictionary or object to extract fields from' };
		default:
			return { type: `${expected}_type`, msg: `Input should be a valid ${expected}` };
	}
}

/**
 * Maps one zod issue to a FastAPI detail item.
 * @param root the value that was validated (the parsed JSON body), used to report `input`.
 * @param prefix the FastAPI loc prefix, e.g. `body`.
 */
export function zodIssueToDetail(issue: z.core.$ZodIssue, root: unknown, prefix: string): ValidationDetailItem {
	const path = issue.path as PropertyKey[];
	const loc: Loc = [prefix, ...path.map((p) => (typeof p === 'number' ? p : String(p)))];
	const input = valueAt(root, path);
	const parentInput = path.length === 0 ? root : valueAt(root, path.slice(0, -1));

	switch (issue.code) {
		case 'invalid_type': {
			const present = path.length === 0 ? root !== undefined : valueAt(root, path) !== undefined || hasKey(parentInput, path[path.length - 1]);
			if (!present) return { type: 'missing', loc, msg: 'Field required', input: parentInput ?? null };
			return { ...typeIssue(issue.expected, input), loc, input };
		}
		case 'too_small': {
			const min = fmt(issue.minimum);
			if (issue.origin === 'array' || issue.origin === 'set') {
				const n = Array.isArray(input) ? input.length : 0;
				return {
					type: 'too_short',
					loc,
					msg: `List should have at least ${min} item${min === '1' ? '' : 's'} after validation, not ${n}`,
					input,
					ctx: { field_type: 'List', min_length: Number(issue.minimum), actual_length: n },
				};
			}
			if (issue.origin === 'string') {
				return { type: 'string_too_short', loc, msg: `String should have at least ${min} character${min === '1' ? '' : 's'}`, input, ctx: { min_length: Number(issue.minimum) } };
			}
			return issue.inclusive
				? { type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${min}`, input, ctx: { ge: Number(issue.minimum) } }
				: { type: 'greater_than', loc, msg: `Input should be greater than ${min}`, input, ctx: { gt: Number(issue.minimum) } };
		}
		case 'too_big': {
			const max = fmt(issue.maximum);
			if (issue.origin === 'array' || issue.origin === 'set') {
				const n = Array.isArray(input) ? input.length : 0;
				return {
					type: 'too_long',
					loc,
					msg: `List should have at most ${max} item${max === '1' ? '' : 's'} after validation, not ${n}`,
					input,
					ctx: { field_type: 'List', max_length: Number(issue.maximum), actual_length: n },
				};
			}
			if (issue.origin === 'string') {
				return { type: 'string_too_long', loc, msg: `String should have at most ${max} character${max === '1' ? '' : 's'}`, input, ctx: { max_length: Number(issue.maximum) } };
			}
			return issue.inclusive
				? { type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${max}`, input, ctx: { le: Number(issue.maximum) } }
				: { type: 'less_than', loc, msg: `Input should be less than ${max}`, input, ctx: { lt: Number(issue.maximum) } };
		}
		case 'invalid_value': {
			const expected = enumMessage(issue.values);
			return { type: 'enum', loc, msg: `Input should be ${expected}`, input, ctx: { expected } };
		}
		case 'custom': {
			const params = (issue.params ?? {}) as { type?: string };
			if (params.type === 'missing') return { type: 'missing', loc, msg: 'Field required', input: parentInput ?? null };
			return { type: params.type ?? 'value_error', loc, msg: `Value error, ${issue.message}`, input };
		}
		default:
			return { type: issue.code, loc, msg: issue.message, input };
	}
}

function hasKey(obj: unknown, key: PropertyKey | undefined): boolean {
	return key !== undefined && obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key);
}

/** FastAPI's whole 422 body for a failed zod parse (echoed inputs bounded, see boundedInput). */
export function zodErrorToDetail(error: z.ZodError, root: unknown, prefix: string): { detail: ValidationDetailItem[] } {
	return {
		detail: error.issues.map((issue) => {
			const item = zodIssueToDetail(issue, root, prefix);
			item.input = boundedInput(item.input);
			return item;
		}),
	};
}

const MAX_INPUT_DEPTH = 6;
const MAX_INPUT_ITEMS = 100;
const MAX_INPUT_STRING = 1_000;

/**
 * A copy of an echoed `input` small enough to send back: nesting cut at 6 levels, arrays and
 * objects at 100 entries, strings at 1,000 characters (cuts marked with "…"). pydantic echoes the
 * whole input; a 5 MB body or 5,000 nested brackets must not be echoed (or overflow the stack).
 */
export function boundedInput(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return value.length > MAX_INPUT_STRING ? `${value.slice(0, MAX_INPUT_STRING)}…` : value;
	if (value === null || typeof value !== 'object') return value;
	if (depth >= MAX_INPUT_DEPTH) return Array.isArray(value) ? '[…]' : '{…}';
	if (Array.isArray(value)) {
		const out: unknown[] = value.slice(0, MAX_INPUT_ITEMS).map((v) => boundedInput(v, depth + 1));
		if (value.length > MAX_INPUT_ITEMS) out.push(`… ${value.length - MAX_INPUT_ITEMS} more items`);
		return out;
	}
	const out: Record<string, unknown> = {};
	let n = 0;
	for (const key of Object.keys(value)) {
		if (n++ === MAX_INPUT_ITEMS) {
			out['…'] = 'more keys';
			break;
		}
		Object.defineProperty(out, key, { value: boundedInput((value as Record<string, unknown>)[key], depth + 1), enumerable: true, writable: true, configurable: true });
	}
	return out;
}

/** camelCase → snake_case for one loc segment (`winRate` → `win_rate`); numbers pass through. */
export function snakeCaseKey(key: string | number): string | number {
	return typeof key === 'number' ? key : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
