/**
 * Value at Risk and expected shortfall of a return series. The service reports both as positive
 * loss fractions (0.031 = a 3.1% loss) at the chosen confidence: historical (empirical quantile),
 * parametric Gaussian (mean − z·σ) or Cornish-Fisher (the Gaussian quantile corrected for skew
 * and excess kurtosis), scaled to the horizon. Cornish-Fisher is undefined when its quantile is a
 * gain: the service then answers `var: null` with a `reason`, which this node passes on.
 * Sources: Jorion, "Value at Risk" (3rd ed.); Favre & Galeano (2002) for the modified VaR.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { numberParameter } from './numberParameter';

export const option = {
	name: 'Value at Risk',
	value: 'var',
	description: 'Measure VaR and CVaR (expected shortfall) of a return series',
	action: 'Measure value at risk of returns',
};

const show = { show: { operation: ['var'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Returns',
		name: 'returns',
		type: 'json',
		default: '[]',
		required: true,
		placeholder: '[0.012, -0.008, 0.004]',
		description:
			'Periodic simple returns as ratios (0.01 = +1%): a JSON array, or an expression that yields an array',
		displayOptions: show,
	},
	{
		displayName: 'Confidence',
		name: 'confidence',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 },
		default: 0.95,
		description: 'Confidence level of the loss quantile (0.95 = the loss exceeded on 5% of periods)',
		displayOptions: show,
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{
				name: 'Cornish-Fisher',
				value: 'cornish_fisher',
				description: 'Gaussian quantile corrected for skew and excess kurtosis (modified VaR)',
			},
			{
				name: 'Historical',
				value: 'historical',
				description: 'Empirical quantile of the returns themselves',
			},
			{
				name: 'Parametric',
				value: 'parametric',
				description: 'Gaussian quantile from the mean and standard deviation',
			},
		],
		default: 'historical',
		displayOptions: show,
	},
	{
		displayName: 'Horizon',
		name: 'horizon',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'Number of return periods the loss is measured over',
		displayOptions: show,
	},
];

/** Returns the service's `{var, cvar, method, confidence, horizon, reason}` for one item. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body: IDataObject = {
		returns: readReturns.call(this, itemIndex),
		confidence: numberParameter.call(this, 'confidence', itemIndex) as IDataObject[string],
		method: this.getNodeParameter('method', itemIndex) as string,
		horizon: numberParameter.call(this, 'horizon', itemIndex) as IDataObject[string],
	};
	return await mathServiceRequest.call(this, 'POST', '/v1/var', body, itemIndex);
}

/** The Returns parameter as an array; its elements are left for the service to validate. */
function readReturns(this: IExecuteFunctions, itemIndex: number): IDataObject[string] {
	const raw = this.getNodeParameter('returns', itemIndex) as unknown;
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw) as unknown;
		} catch {
			value = undefined;
		}
	}
	if (!Array.isArray(value)) {
		throw new NodeOperationError(
			this.getNode(),
			'Returns must be a JSON array of numbers, e.g. [0.012, -0.008, 0.004]',
			{ itemIndex, description: `Received: ${String(raw).slice(0, 200)}` },
		);
	}
	return value as IDataObject[string];
}
