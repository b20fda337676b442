/**
 * Scan: one signal-scan run (POST /v1/scan), meant for a Schedule Trigger every minute a few seconds
 * after the candle close (after the market-data sync). For every whitelisted symbol (or the listed
 * ones) the math service evaluates the latest closed bar of its stored candles with:
 * - VWAP Mean Reversion — the Pine script's rule: close below VWAP − k·σ, above the trend EMA and
 *   the previous close, reward/risk to the VWAP ≥ the minimum; stop −3 %, target the VWAP;
 * - Alpha Threshold — an entry when the alpha score known at the bar's close crosses up through
 *   Alpha Threshold (default 70); stop −3 %, target +4.5 %, the 48 h time stop.
 * Each signal is decided exactly like the TradingView alert for that bar (same alert id, intake,
 * risk gates incl. the panic switch, receipt), so TradingView and the scan together make one
 * decision per bar. The run holds the `signal_scan` lease: a run that starts while the previous
 * one still works waits up to Wait for Previous Run, then skips.
 *
 * Output: one item per signal, the decision answer (status, reason_code, decision_id, duplicate,
 * gates, receipt) plus outcome, strategy, symbol, bar times, levels and the alpha score.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { candleTimeframeParameter, exchangeParameter, HEARTBEAT_TIMEFRAMES } from '../../shared/candleParameters';
import { mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Scan',
	value: 'scan',
	description: 'Evaluate the latest closed bar of every whitelisted symbol and decide each signal',
	action: 'Scan for signals',
};

const show = { show: { operation: ['scan'] } };
const showVwap = { show: { operation: ['scan'], vwapMeanReversion: [true] } };
const showAlpha = { show: { operation: ['scan'], alphaThreshold: [true] } };

const number = (displayName: string, name: string, value: number, description: string, displayOptions = show, precision = 4): INodeProperties => ({
	displayName,
	name,
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: precision },
	default: value,
	description,
	displayOptions,
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
	exchangeParameter('Whose stored candles are read; also the prefix of the alert ID (BINANCE:BTCUSDT-1-…)', show),
	candleTimeframeParameter({ timeframes: HEARTBEAT_TIMEFRAMES, default: '1m', description: 'Candles of the scan (the Pine chart’s timeframe)', displayOptions: show }),
	{
		displayName: 'VWAP Mean Reversion',
		name: 'vwapMeanReversion',
		type: 'boolean',
		default: true,
		description: 'Whether to run the Pine script’s VWAP mean-reversion rule',
		displayOptions: show,
	},
	number('VWAP Stdev Length', 'stdevLength', 50, 'Bars of the rolling standard deviation of hlc3', showVwap, 0),
	number('VWAP Deviation Threshold', 'deviationThreshold', 2, 'How many standard deviations below the VWAP the close must be', showVwap, 2),
	number('Trend EMA Length', 'trendEmaLength', 50, 'Bars of the trend-filter EMA the close must be above', showVwap, 0),
	number('VWAP Stop Loss Ratio', 'vwapStopLossRatio', 0.03, 'Stop below the signal close (0.03 = 3%)', showVwap),
	number('VWAP Min Reward/Risk', 'vwapMinRewardRisk', 1.5, 'Smallest (VWAP − close)/(close − stop) that signals', showVwap, 2),
	{
		displayName: 'Alpha Threshold Strategy',
		name: 'alphaThreshold',
		type: 'boolean',
		default: true,
		description: 'Whether to enter when the alpha score crosses up through the threshold',
		displayOptions: show,
	},
	{
		displayName: 'Alpha Threshold',
		name: 'alphaThresholdScore',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
		default: 70,
		description: 'Entry when the alpha score known at the bar close reaches this and the one at the previous close was below',
		displayOptions: showAlpha,
	},
	number('Alpha Stop Ratio', 'alphaStopRatio', 0.03, 'Stop below the close (0.03 = −3%)', showAlpha),
	number('Alpha Target Ratio', 'alphaTargetRatio', 0.045, 'Target above the close (0.045 = +4.5%, R/R 1.5)', showAlpha),
	{
		displayName: 'Allow Partial Alpha Score',
		name: 'allowPartial',
		type: 'boolean',
		default: true,
		description: 'Whether a score with a missing component (e.g. no on-chain data) may trigger an entry',
		displayOptions: showAlpha,
	},
	number('Time Stop (Hours)', 'timeStopHours', 48, 'Positions opened by the scan close after this long if neither stop nor target filled', show, 1),
	{
		displayName: 'Max Panic Score',
		name: 'maxPanicScore',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
		default: 70,
		description: 'Panic switch: no new buys while the asset’s news panic score is above this',
		displayOptions: show,
	},
	number('Wait for Previous Run (Ms)', 'waitMs', 0, 'How long a run waits for a previous scan still working before it skips (0 = skip at once)', show, 0),
];

const numberOf = (value: unknown): unknown => (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value);

/** One item per signal (see the module comment). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const num = (name: string) => numberOf(this.getNodeParameter(name, itemIndex)) as IDataObject[string];
	const vwapOn = this.getNodeParameter('vwapMeanReversion', itemIndex, true) as boolean;
	const alphaOn = this.getNodeParameter('alphaThreshold', itemIndex, true) as boolean;
	const symbols = String(this.getNodeParameter('symbols', itemIndex, '') ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	const body: IDataObject = {
		...(symbols.length > 0 ? { symbols } : {}),
		exchange: this.getNodeParameter('exchange', itemIndex) as string,
		timeframe: this.getNodeParameter('timeframe', itemIndex) as string,
		strategies: { vwap_mean_reversion: vwapOn, alpha_threshold: alphaOn },
		...(vwapOn
			? { vwap: { stdev_length: num('stdevLength'), deviation_threshold: num('deviationThreshold'), trend_ema_length: num('trendEmaLength'), stop_loss_ratio: num('vwapStopLossRatio'), min_reward_risk: num('vwapMinRewardRisk') } }
			: {}),
		...(alphaOn
			? { alpha: { threshold: num('alphaThresholdScore'), stop_ratio: num('alphaStopRatio'), target_ratio: num('alphaTargetRatio'), allow_partial: this.getNodeParameter('allowPartial', itemIndex, true) as boolean } }
			: {}),
		thresholds: { time_stop_hours: num('timeStopHours'), max_panic_score: num('maxPanicScore') },
		wait_ms: num('waitMs'),
	};
	const answer = await mathServiceRequest.call(this, 'POST', '/v1/scan', body, itemIndex);
	return Array.isArray(answer.signals) ? (answer.signals as IDataObject[]) : [];
}
