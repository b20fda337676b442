import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Reads a number parameter for one item. Expressions often yield numeric strings ("0.55" from a
 * webhook body); those become numbers. Anything else is passed on unchanged so that the math
 * service, which owns validation, answers with its own reason.
 */
export function numberParameter(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
): number | unknown {
	const value = this.getNodeParameter(name, itemIndex) as unknown;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	return value;
}
