/**
 * Kelly sizing. The service computes the full Kelly fraction f* = p − (1 − p)/b with
 * b = average win / average loss (p = win rate), the fractional Kelly max(0, f*) × fraction
 * (0.25× by default: a quarter of the growth-optimal bet, far less variance), and the position
 * size min(fractional Kelly, cap) × 100 as a percentage of equity. A negative f* means no edge:
 * size 0. Source: Kelly (1956), "A New Interpretation of Information Rate".
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { numberParameter } from './numberParameter';

export const option = {
	name: 'Kelly Position Size',
	value: 'kelly',
	description: 'Size a position with fractional Kelly from the win rate and the average win and loss',
	action: 'Size a position with fractional kelly',
};

const show = { show: { operation: ['kelly'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Win Rate',
		name: 'winRate',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 },
		default: 0.55,
		required: true,
		description: 'Share of trades that win, as a ratio between 0 and 1 (0.55 = 55%)',
		displayOptions: show,
	},
	{
		displayName: 'Average Win',
		name: 'avgWin',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 6 },
		default: 1.5,
		required: true,
		description:
			'Average profit of a winning trade, in any unit shared with Average Loss (e.g. R multiples or percent)',
		displayOptions: show,
	},
	{
		displayName: 'Average Loss',
		name: 'avgLoss',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 6 },
		default: 1,
		required: true,
		description: 'Average loss of a losing trade as a positive number, in the unit of Average Win',
		displayOptions: show,
	},
	{
		displayName: 'Kelly Fraction',
		name: 'fraction',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 },
		default: 0.25,
		description: 'Multiplier on the full Kelly fraction (0.25 = quarter Kelly, 0.5 = half Kelly)',
		displayOptions: show,
	},
	{
		displayName: 'Position Cap',
		name: 'cap',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 },
		default: 0.1,
		description: 'Largest position as a ratio of equity (0.10 = 10%), whatever Kelly says',
		displayOptions: show,
	},
];

/** Returns the service's `{kelly_fraction, fractional_kelly, position_pct}` for one item. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body: IDataObject = {
		win_rate: numberParameter.call(this, 'winRate', itemIndex) as IDataObject[string],
		avg_win: numberParameter.call(this, 'avgWin', itemIndex) as IDataObject[string],
		avg_loss: numberParameter.call(this, 'avgLoss', itemIndex) as IDataObject[string],
		fraction: numberParameter.call(this, 'fraction', itemIndex) as IDataObject[string],
		cap: numberParameter.call(this, 'cap', itemIndex) as IDataObject[string],
	};
	return await mathServiceRequest.call(this, 'POST', '/v1/kelly', body, itemIndex);
}
