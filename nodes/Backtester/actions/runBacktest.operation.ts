/**
 * Run Backtest: one backtest of the seed's VWAP mean-reversion strategy (buy when the close is
 * k stdevs below the daily VWAP, above its trend EMA and higher than the previous close; target the
 * VWAP, stop a fixed ratio below) on TradingView's broker-emulator rules, with the KPI gates. The
 * output has `summary`, a few lines ready for a Telegram message, and (by default) the equity curve
 * as a PNG in the binary property `equity`.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';

/** A backtest or sweep over years of candles takes seconds. */
const SWEEP_TIMEOUT_MS = 300_000;
import { dataBody } from './dataParameters';

export const option = {
	name: 'Run Backtest',
	value: 'runBacktest',
	description: 'Backtest the strategy on stored candles and check the KPI gates',
	action: 'Run a backtest',
};

const show = { show: { operation: ['runBacktest'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Stdev Length',
		name: 'stdevLength',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Window of the rolling standard deviation of hlc3, in bars (seed default 50)',
		displayOptions: show,
	},
	{
		displayName: 'Deviation Threshold',
		name: 'deviationThreshold',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 3 },
		default: 2,
		description: 'How many standard deviations below the daily VWAP the close must be (seed default 2.0)',
		displayOptions: show,
	},
	{
		displayName: 'Trend EMA Length',
		name: 'trendEmaLength',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Length of the trend filter EMA of the close, in bars (seed default 50)',
		displayOptions: show,
	},
	{
		displayName: 'Stop Ratio',
		name: 'stopRatio',
		type: 'number',
		typeOptions: { minValue: 0.0001, maxValue: 0.99, numberPrecision: 4 },
		default: 0.03,
		description: 'Stop distance below the signal close as a ratio (0.03 = 3%, seed default)',
		displayOptions: show,
	},
	{
		displayName: 'Attach Equity Image',
		name: 'attachEquityImage',
		type: 'boolean',
		default: true,
		description: 'Whether to attach the equity curve and drawdown as a PNG in the binary property "equity" (e.g. for a Telegram photo)',
		displayOptions: show,
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body: IDataObject = {
		...dataBody.call(this, itemIndex),
		params: {
			stdev_length: this.getNodeParameter('stdevLength', itemIndex) as number,
			deviation_threshold: this.getNodeParameter('deviationThreshold', itemIndex) as number,
			trend_ema_length: this.getNodeParameter('trendEmaLength', itemIndex) as number,
			stop_ratio: this.getNodeParameter('stopRatio', itemIndex) as number,
		},
		include_equity_png: this.getNodeParameter('attachEquityImage', itemIndex, true) as boolean,
	};
	return await mathServiceRequest.call(this, 'POST', '/v1/backtests', body, itemIndex, { timeoutMs: SWEEP_TIMEOUT_MS });
}
