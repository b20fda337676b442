/**
 * Run Sweep: every combination of the parameter ranges (start:stop:step, inclusive), the best by
 * Sharpe with its KPI gates, and beside it the overfitting guard: the deflated Sharpe ratio (is
 * the best Sharpe more than luck among N trials?) and the probability of backtest overfitting.
 * Optionally a walk-forward that reports only out-of-sample results. At most 2,000 combinations.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';

/** A backtest or sweep over years of candles takes seconds. */
const SWEEP_TIMEOUT_MS = 300_000;
import { dataBody } from './dataParameters';

export const option = {
	name: 'Run Sweep',
	value: 'runSweep',
	description: 'Try every combination of parameter ranges and guard the best against overfitting',
	action: 'Run a parameter sweep',
};

const show = { show: { operation: ['runSweep'] } };

const range = (displayName: string, name: string, value: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: value,
	placeholder: `e.g. ${value}`,
	description,
	displayOptions: show,
});

export const description: INodeProperties[] = [
	range('Stdev Lengths', 'stdevLengths', '10:100:10', 'Stdev windows to try: start:stop:step (inclusive) or one value'),
	range('Deviation Thresholds', 'deviationThresholds', '0.5:2.75:0.25', 'Band widths in stdevs to try: start:stop:step or one value'),
	range('Trend EMA Lengths', 'trendEmaLengths', '50:500:50', 'Trend EMA lengths to try: start:stop:step or one value'),
	range('Stop Ratios', 'stopRatios', '0.03', 'Stop distances to try as ratios: start:stop:step or one value'),
	{
		displayName: 'Walk-Forward',
		name: 'walkForward',
		type: 'boolean',
		default: false,
		description: 'Whether to also optimise on a training window, trade the winner on the next test window, roll forward and report the out-of-sample record',
		displayOptions: show,
	},
	{
		displayName: 'Train Bars',
		name: 'trainBars',
		type: 'number',
		typeOptions: { minValue: 2 },
		default: 8760,
		description: 'Training (in-sample) window in bars (8760 = one year of 1h bars)',
		displayOptions: { show: { operation: ['runSweep'], walkForward: [true] } },
	},
	{
		displayName: 'Test Bars',
		name: 'testBars',
		type: 'number',
		typeOptions: { minValue: 2 },
		default: 2190,
		description: 'Out-of-sample window in bars (2190 = a quarter of 1h bars)',
		displayOptions: { show: { operation: ['runSweep'], walkForward: [true] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '')).trim();
	const body: IDataObject = {
		...dataBody.call(this, itemIndex),
		grid: {
			stdev_length: text('stdevLengths'),
			deviation_threshold: text('deviationThresholds'),
			trend_ema_length: text('trendEmaLengths'),
			stop_ratio: text('stopRatios'),
		},
	};
	if (this.getNodeParameter('walkForward', itemIndex) as boolean) {
		body.walk_forward = {
			train_bars: this.getNodeParameter('trainBars', itemIndex) as number,
			test_bars: this.getNodeParameter('testBars', itemIndex) as number,
		};
	}
	return await mathServiceRequest.call(this, 'POST', '/v1/backtests/sweep', body, itemIndex, { timeoutMs: SWEEP_TIMEOUT_MS });
}
