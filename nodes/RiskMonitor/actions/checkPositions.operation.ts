/**
 * Check Positions: one risk-monitor tick (POST /v1/positions/check), meant for a Schedule Trigger
 * every 10 s. The math service examines every closed candle since the last tick (high and low, so
 * a wick through the stop between two ticks is not missed) with the backtester's fill rules: a
 * target fills at the target, a stop at the stop less the slippage (or at a gapped open), the time
 * stop stored with each position (else Time Stop Hours) at the next open. It then marks the
 * account to market and halts new entries for Halt Hours once the loss since 00:00 UTC reaches the
 * Max Daily Drawdown. The tick runs under the `risk_monitor` lease: a tick that starts while the
 * previous one still works does not act (it waits up to Wait for Previous Run, then skips).
 *
 * Output: one item per event — `{type: "close", symbol, exit_reason, fill_price, pnl, …, message}`
 * or `{type: "halt", halt_until, day_return_ratio, …, message}` — where `message` is a ready
 * plain-text Telegram message. A quiet tick emits no item, unless Output When Quiet is on (then one
 * `{type: "summary", …}` item with the whole answer).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { candleTimeframeParameter, exchangeParameter, HEARTBEAT_TIMEFRAMES } from '../../shared/candleParameters';
import { mathServiceRequest } from '../../shared/mathServiceTransport';

export const option = {
	name: 'Check Positions',
	value: 'checkPositions',
	description: 'Close positions at stop, target or time stop and apply the daily-drawdown halt; one item per event',
	action: 'Check open positions',
};

const show = { show: { operation: ['checkPositions'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Slippage Ratio',
		name: 'slippageRatio',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 0.1, numberPrecision: 5 },
		default: 0.0002,
		description: 'Adverse slippage on stop and time-stop fills (0.0002 = 2 bps, the backtester’s)',
		displayOptions: show,
	},
	{
		displayName: 'Time Stop (Hours)',
		name: 'timeStopHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 48,
		description: 'For positions stored without their own time stop: close them after this long',
		displayOptions: show,
	},
	{
		displayName: 'Max Daily Drawdown',
		name: 'maxDailyDrawdownRatio',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 },
		default: 0.05,
		description: 'Marked-to-market loss since 00:00 UTC, as a ratio of that equity, that halts new entries (0.05 = −5%)',
		displayOptions: show,
	},
	{
		displayName: 'Halt Hours',
		name: 'haltHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 24,
		description: 'How long a drawdown halt lasts',
		displayOptions: show,
	},
	exchangeParameter('Whose stored candles are examined', show),
	candleTimeframeParameter({ timeframes: HEARTBEAT_TIMEFRAMES, default: '1m', description: 'Stored candles examined between two ticks', displayOptions: show }),
	{
		displayName: 'Fee Ratio',
		name: 'feeRatio',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 5 },
		default: 0.001,
		description: 'Paper fee per fill as a ratio of notional (0.001 = 0.1%)',
		displayOptions: show,
	},
	{
		displayName: 'Wait for Previous Run (Ms)',
		name: 'waitMs',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 60000 },
		default: 0,
		description: 'How long a tick waits for a previous tick still working before it skips (0 = skip at once)',
		displayOptions: show,
	},
	{
		displayName: 'Output When Quiet',
		name: 'outputWhenQuiet',
		type: 'boolean',
		default: false,
		description: 'Whether a tick without a close or halt (or one skipped because the previous tick still worked) emits one summary item',
		displayOptions: show,
	},
];

const numberOf = (value: unknown): unknown => (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value);

/** One item per event of the tick (see the module comment). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const num = (name: string) => numberOf(this.getNodeParameter(name, itemIndex)) as IDataObject[string];
	const body: IDataObject = {
		exchange: this.getNodeParameter('exchange', itemIndex) as string,
		timeframe: this.getNodeParameter('timeframe', itemIndex) as string,
		slippage_ratio: num('slippageRatio'),
		wait_ms: num('waitMs'),
		thresholds: {
			time_stop_hours: num('timeStopHours'),
			max_daily_drawdown_ratio: num('maxDailyDrawdownRatio'),
			halt_hours: num('haltHours'),
			fee_ratio: num('feeRatio'),
		},
	};
	const answer = await mathServiceRequest.call(this, 'POST', '/v1/positions/check', body, itemIndex);
	const events = Array.isArray(answer.events) ? (answer.events as IDataObject[]) : [];
	const common = { checked_at: answer.checked_at, ran: answer.ran };
	if (events.length > 0) return events.map((event) => ({ ...event, ...common }));
	if (!(this.getNodeParameter('outputWhenQuiet', itemIndex, false) as boolean)) return [];
	const { events: _none, ...summary } = answer;
	return [{ type: 'summary', ...summary }];
}
