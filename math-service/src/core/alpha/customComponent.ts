/**
 * @module alpha/customComponent
 * A user-defined alpha component: a mathjs expression over named inputs (e.g.
 * `100 - rsi + 10 * (netflowZ < -1)`), evaluated by mathjs's own parser in a locked-down instance —
 * never `eval` or `Function`. Following mathjs's security guidance, the instance's `import`,
 * `createUnit`, `evaluate`, `parse`, `simplify`, `derivative`, `resolve` and `reviver` are replaced
 * with functions that throw, and the expression may only name the documented inputs and a small
 * list of math functions; anything else is refused with the name at fault before evaluation.
 * The value is clamped to 0–100. An input the expression uses that is missing (null) makes the
 * component missing (null, with the input named), never a silent 0.
 */
import { all, create, type MathNode } from 'mathjs';
import { InvalidInputError } from '../../errors.js';

const disabled = (name: string) => () => {
	throw new Error(`${name} is disabled in alpha expressions`);
};

let lockedParse: ((expression: string) => MathNode) | undefined;

/**
 * mathjs's parser from the locked-down instance, built on first use: building a full mathjs
 * instance takes a noticeable part of a second, which every CLI start (even `--help`) and the
 * service's start-up would otherwise pay for an alpha expression they may never see.
 */
function parseExpression(expression: string): MathNode {
	if (lockedParse === undefined) {
		const math = create(all, {});
		const parse = math.parse;
		math.import(
			{
				import: disabled('import'),
				createUnit: disabled('createUnit'),
				evaluate: disabled('evaluate'),
				parse: disabled('parse'),
				simplify: disabled('simplify'),
				derivative: disabled('derivative'),
				resolve: disabled('resolve'),
				reviver: disabled('reviver'),
			},
			{ override: true },
		);
		lockedParse = parse;
	}
	return lockedParse(expression);
}

/** The names an expression may use besides its inputs. */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
	'abs', 'min', 'max', 'sqrt', 'log', 'log10', 'exp', 'pow', 'round', 'floor', 'ceil', 'sign', 'tanh', 'mean',
	'pi', 'e',
]);

export const MAX_EXPRESSION_LENGTH = 500;

export interface CompiledAlphaExpression {
	expression: string;
	/** The inputs the expression reads, sorted. */
	inputs: readonly string[];
	evaluate(scope: Readonly<Record<string, number | null>>): { value: number | null; missing: string[]; detail?: string };
}

/**
 * Parses and checks `expression` once. Throws `InvalidInputError` (fix the expression) naming the
 * first unknown symbol, a forbidden construct (assignment, function definition, property access,
 * strings, units) or a syntax error.
 */
export function compileAlphaExpression(expression: string, allowedInputs: readonly string[]): CompiledAlphaExpression {
	if (typeof expression !== 'string' || expression.trim() === '') {
		throw new InvalidInputError('custom expression is empty', ['custom', 'expression']);
	}
	if (expression.length > MAX_EXPRESSION_LENGTH) {
		throw new InvalidInputError(`custom expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, ['custom', 'expression']);
	}
	let root: MathNode;
	try {
		root = parseExpression(expression);
	} catch (error) {
		throw new InvalidInputError(`custom expression does not parse: ${(error as Error).message}`, ['custom', 'expression']);
	}
	const allowed = new Set(allowedInputs);
	const used = new Set<string>();
	root.traverse((node, _path, parent) => {
		switch (node.type) {
			case 'SymbolNode': {
				const name = (node as unknown as { name: string }).name;
				const isCallee = parent?.type === 'FunctionNode' && (parent as unknown as { fn: MathNode }).fn === node;
				if (allowed.has(name) && !isCallee) used.add(name);
				else if (!ALLOWED_FUNCTIONS.has(name)) {
					throw new InvalidInputError(
						`custom expression uses unknown name "${name}"; inputs: ${[...allowed].join(', ')}; functions: ${[...ALLOWED_FUNCTIONS].join(', ')}`,
						['custom', 'expression'],
					);
				}
				return;
			}
			case 'ConstantNode': {
				const value = (node as unknown as { value: unknown }).value;
				if (typeof value !== 'number' && typeof value !== 'boolean') {
					throw new InvalidInputError('custom expression may only contain numbers', ['custom', 'expression']);
				}
				return;
			}
			case 'OperatorNode':
			case 'ParenthesisNode':
			case 'FunctionNode':
			case 'ConditionalNode':
				return;
			default:
				throw new InvalidInputError(`custom expression may not contain a ${node.type}`, ['custom', 'expression']);
		}
	});
	const code = root.compile();
	const inputs = [...used].sort();
	return {
		expression,
		inputs,
		evaluate(scope) {
			const missing = inputs.filter((name) => scope[name] === null || scope[name] === undefined || !Number.isFinite(scope[name]));
			if (missing.length > 0) return { value: null, missing, detail: `missing input ${missing.join(', ')}` };
			const values = new Map<string, number>();
			for (const name of inputs) values.set(name, scope[name] as number);
			let raw: unknown;
			try {
				raw = code.evaluate(values);
			} catch (error) {
				return { value: null, missing: [], detail: `evaluation failed: ${(error as Error).message}` };
			}
			const value = typeof raw === 'boolean' ? Number(raw) : raw;
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				return { value: null, missing: [], detail: 'the expression did not give a finite number' };
			}
			return { value: Math.min(100, Math.max(0, value)), missing: [] };
		},
	};
}
