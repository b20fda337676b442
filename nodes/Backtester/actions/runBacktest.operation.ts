/**
 * Run Backtest: one backtest of the seed's VWAP mean-reversion strategy (buy when the close is
 * k stdevs below the daily VWAP, above its trend EMA and higher than the previous close; target the
 * VWAP, stop a fixed ratio below) — or of seed 2's alpha-threshold strategy (buy when the composite
 * alpha score crosses the entry score; stop 3 % below, target at reward/risk 1.5; the score's
 * on-chain and sentiment data as stored, each from the time it was learned) — on TradingView's
 * broker-emulator rules, with the KPI gates. The
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
const showVwap = { show: { operation: ['runBacktest'], strategy: ['vwap_mean_reversion'] } };
const showAlpha = { show: { operation: ['runBacktest'], strategy: ['alpha_threshold'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Strategy',
		name: 'strategy',
		type: 'options',
		options: [
			{ name: 'Alpha Threshold', value: 'alpha_threshold', description: "Seed 2's strategy: buy when the composite alpha score crosses the entry score" },
			{ name: 'VWAP Mean Reversion', value: 'vwap_mean_reversion', description: "The seed's Pine strategy: buy the dip below the daily VWAP" },
		],
		default: 'vwap_mean_reversion',
		description: 'Which strategy to backtest',
		displayOptions: show,
	},
	{
		displayName: 'Entry Score',
		name: 'entryScore',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 70,
		description: 'Enter when the composite alpha score (0–100) crosses up through this value (seed 2 default 70)',
		displayOptions: showAlpha,
	},
	{
		displayName: 'Allow Partial Score',
		name: 'allowPartial',
		type: 'boolean',
		default: true,
		description: 'Whether a score missing a component (no on-chain or sentiment data at that time) may trigger an entry',
		displayOptions: showAlpha,
	},
	{
		displayName: 'Stdev Length',
		name: 'stdevLength',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Window of the rolling standard deviation of hlc3, in bars (seed default 50)',
		displayOptions: showVwap,
	},
	{
		displayName: 'Deviation Threshold',
		name: 'deviationThreshold',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 3 },
		default: 2,
		description: 'How many standard deviations below the daily VWAP the close must be (seed default 2.0)',
		displayOptions: showVwap,
	},
	{
		displayName: 'Trend EMA Length',
		name: 'trendEmaLength',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Length of the trend filter EMA of the close, in bars (seed default 50)',
		displayOptions: showVwap,
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
	const strategy = this.getNodeParameter('strategy', itemIndex, 'vwap_mean_reversion') as string;
	const stopRatio = this.getNodeParameter('stopRatio', itemIndex) as number;
	const strategyParams: IDataObject =
		strategy === 'alpha_threshold'
			? {
					alpha: {
						entry_score: this.getNodeParameter('entryScore', itemIndex, 70) as number,
						stop_loss_ratio: stopRatio,
						allow_partial: this.getNodeParameter('allowPartial', itemIndex, true) as boolean,
					},
				}
			: {
					params: {
						stdev_length: this.getNodeParameter('stdevLength', itemIndex) as number,
						deviation_threshold: this.getNodeParameter('deviationThreshold', itemIndex) as number,
						trend_ema_length: this.getNodeParameter('trendEmaLength', itemIndex) as number,
						stop_ratio: stopRatio,
					},
				};
	const body: IDataObject = {
		...dataBody.call(this, itemIndex),
		strategy,
		...strategyParams,
		include_equity_png: this.getNodeParameter('attachEquityImage', itemIndex, true) as boolean,
	};
	return await mathServiceRequest.call(this, 'POST', '/v1/backtests', body, itemIndex, { timeoutMs: SWEEP_TIMEOUT_MS });
}
