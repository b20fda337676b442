/**
 * Score: the composite alpha score 0–100 of each symbol, computed by the math service from stored
 * candles, on-chain values and sentiment (POST /v1/alpha). Weights are relative (the seed's
 * 40/35/15 act as 44.4/38.9/16.7 % so the score spans 0–100); a component without data is named in
 * `missing` and the score flagged `partial`, never silently 0. A custom component is a mathjs
 * expression over the named inputs, evaluated by the service in a locked-down parser.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Score',
	value: 'score',
	description: 'Composite alpha score 0–100 per symbol (technical, on-chain, sentiment, custom)',
	action: 'Score symbols',
};

const show = { show: { operation: ['score'] } };

const weight = (
	displayName: string,
	name: string,
	value: number,
	what: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 2 },
	default: value,
	description: `Relative weight of ${what} (seed: ${value})`,
	displayOptions: show,
});

export const description: INodeProperties[] = [
	{
		displayName: 'Symbols',
		name: 'symbols',
		type: 'string',
		default: '',
		placeholder: 'BTC/USDT, ETH/USDT',
		description: 'Comma-separated pairs; empty = every whitelisted asset against USDT',
		displayOptions: show,
	},
	{
		displayName: 'Timeframe',
		name: 'timeframe',
		type: 'options',
		options: [
			{
				name: '1 Day',
				value: '1d',
			},
			{
				name: '1 Hour',
				value: '1h',
			},
			{
				name: '1 Minute',
				value: '1m',
			},
			{
				name: '15 Minutes',
				value: '15m',
			},
			{
				name: '4 Hours',
				value: '4h',
			},
		],
		default: '1h',
		description: 'Candles the technical component reads (RSI, Bollinger position, volatility)',
		displayOptions: show,
	},
	weight('Technical Weight', 'technicalWeight', 40, 'RSI, Bollinger position and volatility'),
	weight('On-Chain Weight', 'onchainWeight', 35, 'exchange netflow and long-term-holder SOPR'),
	weight('Sentiment Weight', 'sentimentWeight', 15, 'the CryptoPanic sentiment score'),
	weight('Custom Weight', 'customWeight', 0, 'the custom expression'),
	{
		displayName: 'Custom Expression',
		name: 'customExpression',
		type: 'string',
		default: '',
		placeholder: '100 - rsi + 10 * (netflowZ < -1)',
		description:
			'Optional mathjs expression giving 0–100 from: close, rsi, bbPercentB, volatilityRatio, netflowZ, lthSoprZ, sentimentScore, panicScore, technical, onchain, sentiment',
		displayOptions: show,
	},
	{
		displayName: 'Missing Data',
		name: 'onMissing',
		type: 'options',
		options: [
			{
				name: 'Leave Out (Renormalise)',
				value: 'renormalize',
				description: 'The score is the weighted mean of the components that have data',
			},
			{
				name: 'Count as Neutral (50)',
				value: 'neutral',
				description: 'A missing component counts as 50',
			},
		],
		default: 'renormalize',
		description:
			'What a component without data does to the score (it is flagged partial either way)',
		displayOptions: show,
	},
	{
		displayName: 'Record Scores',
		name: 'record',
		type: 'boolean',
		default: true,
		description:
			'Whether the service stores each score (for the signal scan, audits and backtests)',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const symbols = String(this.getNodeParameter('symbols', itemIndex, ''))
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	const expression = String(this.getNodeParameter('customExpression', itemIndex, '')).trim();
	const body: IDataObject = {
		timeframe: this.getNodeParameter('timeframe', itemIndex, '1h') as string,
		weights: {
			technical: this.getNodeParameter('technicalWeight', itemIndex, 40) as number,
			onchain: this.getNodeParameter('onchainWeight', itemIndex, 35) as number,
			sentiment: this.getNodeParameter('sentimentWeight', itemIndex, 15) as number,
			custom: this.getNodeParameter('customWeight', itemIndex, 0) as number,
		},
		on_missing: this.getNodeParameter('onMissing', itemIndex, 'renormalize') as string,
		custom_expression: expression === '' ? null : expression,
		record: this.getNodeParameter('record', itemIndex, true) as boolean,
	};
	if (symbols.length > 0) body.symbols = symbols;
	return await mathServiceRequest.call(this, 'POST', '/v1/alpha', body, itemIndex);
}