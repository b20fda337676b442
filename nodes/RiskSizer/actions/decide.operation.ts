/**
 * Decide: the risk decision for one signal that passed Signal Intake (`POST /v1/decisions` with
 * the item's alert_id). The math service sizes the entry with fractional Kelly — f* = p − (1 − p)/b
 * from the strategy's recorded trades (b = avg win / avg loss), or from the Kelly prior until
 * "Kelly Min Sample" trades are closed, times the Kelly Fraction, capped at Position Cap — and then
 * runs every gate of seed 1's risk table against the paper account: daily drawdown ≥ 5 % halts new
 * entries for 24 h; ≤ 10 % of equity per asset; portfolio heat ≤ 30 %; reward/risk ≥ 1.5 at entry;
 * VaR budget per position (position ratio × the asset's historical VaR ≤ 1 % of equity); 48 h time
 * stop on open positions; the panic switch (no new buys while the asset's news panic score is
 * above 70 of 100). The LLM cross-check is advisory: it never changes a size or a limit.
 *
 * Output: the decision receipt `{status, reason_code, reason, decision_id, duplicate, mode, gates,
 * receipt{entry, stop, target, reward_risk, size{position_pct, quantity, …}, kelly, var, llm, …}}`,
 * plus `intake_gates` (the incoming item's Signal Intake gates) when there are any.
 * Every parameter below is sent; the service validates them (422 → the reason, on the item).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mathServiceRequest } from '../../shared/mathServiceTransport';
import { numberParameter } from './numberParameter';

export const option = {
	name: 'Decide',
	value: 'decide',
	description: 'Size and risk-check a signal from Signal Intake against every limit; returns the decision receipt',
	action: 'Decide on a signal',
};

const show = { show: { operation: ['decide'] } };

function ratioParameter(displayName: string, name: string, value: number, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 },
		default: value,
		description,
		displayOptions: show,
	};
}

export const description: INodeProperties[] = [
	{
		displayName: 'Alert ID',
		name: 'alertId',
		type: 'string',
		default: '={{ $json.alert_id }}',
		required: true,
		description: 'The alert_id Signal Intake returned (default: from the incoming item)',
		displayOptions: show,
	},
	{
		displayName: 'Strategy',
		name: 'strategy',
		type: 'string',
		default: 'vwap-mean-reversion',
		description: 'Trade-log bucket whose closed trades feed the Kelly statistics',
		displayOptions: show,
	},
	ratioParameter('Kelly Fraction', 'kellyFraction', 0.25, 'Multiplier on full Kelly (0.25 = quarter Kelly)'),
	ratioParameter('Position Cap', 'maxPositionRatio', 0.1, 'Largest position per asset as a ratio of equity (0.10 = 10%)'),
	ratioParameter(
		'Daily Drawdown Halt',
		'maxDailyDrawdownRatio',
		0.05,
		'Loss since 00:00 UTC, as a ratio of that equity, that halts new entries (0.05 = −5%)',
	),
	{
		displayName: 'Halt Hours',
		name: 'haltHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 24,
		description: 'How long a drawdown halt lasts',
		displayOptions: show,
	},
	ratioParameter('Max Portfolio Heat', 'maxHeatRatio', 0.3, 'Total exposure after the entry as a ratio of equity (0.30 = 30%)'),
	{
		displayName: 'Min Reward/Risk',
		name: 'minRewardRisk',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1.5,
		description: 'Smallest (target − entry) / (entry − stop) accepted at entry',
		displayOptions: show,
	},
	{
		displayName: 'Time Stop (Hours)',
		name: 'timeStopHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 48,
		description: 'Open positions that reached neither stop nor target after this long are closed',
		displayOptions: show,
	},
	ratioParameter(
		'VaR Budget',
		'maxVarRatio',
		0.01,
		'Largest position ratio × the asset’s historical VaR, as a ratio of equity (0.01 = 1%)',
	),
	ratioParameter('VaR Confidence', 'varConfidence', 0.95, 'Confidence of the VaR used by the VaR budget'),
	{
		displayName: 'Max Panic Score',
		name: 'maxPanicScore',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100, numberPrecision: 1 },
		default: 70,
		description:
			'Panic switch: no new buys while the asset’s latest stored news panic score (0–100, from the CryptoPanic refresh) is above this; sells and exits are never blocked',
		displayOptions: show,
	},
	{
		displayName: 'On Missing Panic Score',
		name: 'onMissingPanic',
		type: 'options',
		options: [
			{ name: 'Pass With a Note', value: 'pass' },
			{ name: 'Reject', value: 'reject' },
		],
		default: 'pass',
		description: 'What the panic switch does when no recent panic score is stored (sentiment refresh not configured)',
		displayOptions: show,
	},
	{
		displayName: 'Kelly Min Sample',
		name: 'kellyMinSample',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'Closed trades needed before the trade log replaces the Kelly prior',
		displayOptions: show,
	},
	ratioParameter('Kelly Prior Win Rate', 'kellyPriorWinRate', 0.5, 'Win rate used while the trade log is too short'),
	ratioParameter('Kelly Prior Avg Win', 'kellyPriorAvgWin', 0.03, 'Average win (ratio of the position, 0.03 = 3%) used by the prior'),
	ratioParameter('Kelly Prior Avg Loss', 'kellyPriorAvgLoss', 0.02, 'Average loss (ratio of the position, 0.02 = 2%) used by the prior'),
	{
		displayName: 'LLM Cross-Check',
		name: 'llmEnabled',
		type: 'boolean',
		default: true,
		description:
			'Whether to ask the LLM (Ollama) for the same Kelly number and a rationale; advisory only, it never changes the size. Needs OLLAMA_HOST on the math service.',
		displayOptions: show,
	},
	{
		displayName:
			'The Ollama host is set on the math service (OLLAMA_HOST), not here: the service never calls a host a request names.',
		name: 'ollamaNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['decide'], llmEnabled: [true] } },
	},
	{
		displayName: 'LLM Model',
		name: 'llmModel',
		type: 'string',
		default: 'glm-5:cloud',
		displayOptions: { show: { operation: ['decide'], llmEnabled: [true] } },
	},
	{
		displayName: 'LLM Timeout (Ms)',
		name: 'llmTimeoutMs',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 120000 },
		default: 2000,
		description:
			'Hard bound on the LLM call. TradingView gives up after 3 s; past the timeout the receipt says "unavailable" and the decision stands.',
		displayOptions: { show: { operation: ['decide'], llmEnabled: [true] } },
	},
	{
		displayName: 'LLM Tolerance',
		name: 'llmTolerance',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 4 },
		default: 0.005,
		description: 'Largest |LLM − deterministic| fractional Kelly (ratio of equity) still called agreement',
		displayOptions: { show: { operation: ['decide'], llmEnabled: [true] } },
	},
	{
		displayName: 'Advanced Thresholds',
		name: 'advanced',
		type: 'collection',
		placeholder: 'Add threshold',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Allow Resize',
				name: 'allowResize',
				type: 'boolean',
				default: true,
				description: 'Whether an oversized entry is shrunk to the limit instead of rejected',
			},
			{
				displayName: 'Fee Ratio',
				name: 'feeRatio',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 5 },
				default: 0.001,
				description: 'Paper fee per fill as a ratio of notional (0.001 = 0.1%)',
			},
			{
				displayName: 'Heat Basis',
				name: 'heatBasis',
				type: 'options',
				options: [
					{ name: 'Exposure', value: 'exposure', description: 'Invested notional' },
					{ name: 'Risk to Stop', value: 'risk_to_stop', description: 'Loss if every stop is hit' },
				],
				default: 'exposure',
			},
			{
				displayName: 'Kelly Window',
				name: 'kellyWindow',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 200,
				description: 'Most recent closed trades used for the Kelly statistics',
			},
			{
				displayName: 'On Missing VaR',
				name: 'onMissingVar',
				type: 'options',
				options: [
					{ name: 'Pass With a Note', value: 'pass' },
					{ name: 'Reject', value: 'reject' },
				],
				default: 'pass',
				description: 'What the VaR budget does when the asset has too few stored candles',
			},
			{
				displayName: 'VaR Lookback (Candles)',
				name: 'varLookback',
				type: 'number',
				typeOptions: { minValue: 2 },
				default: 365,
			},
			{
				displayName: 'VaR Min Returns',
				name: 'varMinReturns',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
			},
			{
				displayName: 'VaR Timeframe',
				name: 'varTimeframe',
				type: 'string',
				default: '1d',
			},
		],
	},
];

/** Returns the service's decision receipt for one item. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const alertId = String(this.getNodeParameter('alertId', itemIndex, '') ?? '').trim();
	if (alertId === '') {
		throw new NodeOperationError(this.getNode(), 'No Alert ID: connect Decide after Signal Intake (Approved)', { itemIndex });
	}
	const num = (name: string) => numberParameter.call(this, name, itemIndex) as IDataObject[string];
	const llmEnabled = this.getNodeParameter('llmEnabled', itemIndex, true) as boolean;
	const advanced = this.getNodeParameter('advanced', itemIndex, {}) as IDataObject;
	const thresholds: IDataObject = {
		strategy: this.getNodeParameter('strategy', itemIndex) as string,
		kelly_fraction: num('kellyFraction'),
		max_position_ratio: num('maxPositionRatio'),
		max_daily_drawdown_ratio: num('maxDailyDrawdownRatio'),
		halt_hours: num('haltHours'),
		max_heat_ratio: num('maxHeatRatio'),
		min_reward_risk: num('minRewardRisk'),
		time_stop_hours: num('timeStopHours'),
		max_var_ratio: num('maxVarRatio'),
		var_confidence: num('varConfidence'),
		max_panic_score: num('maxPanicScore'),
		on_missing_panic: this.getNodeParameter('onMissingPanic', itemIndex, 'pass') as string,
		kelly_min_sample: num('kellyMinSample'),
		kelly_prior: { win_rate: num('kellyPriorWinRate'), avg_win: num('kellyPriorAvgWin'), avg_loss: num('kellyPriorAvgLoss') },
		llm: llmEnabled
			? {
					enabled: true,
					model: this.getNodeParameter('llmModel', itemIndex) as string,
					timeout_ms: num('llmTimeoutMs'),
					tolerance: num('llmTolerance'),
				}
			: { enabled: false },
	};
	const wire: Record<string, string> = {
		allowResize: 'allow_resize',
		feeRatio: 'fee_ratio',
		heatBasis: 'heat_basis',
		kellyWindow: 'kelly_window',
		onMissingVar: 'on_missing_var',
		varLookback: 'var_lookback',
		varMinReturns: 'var_min_returns',
		varTimeframe: 'var_timeframe',
	};
	for (const [name, value] of Object.entries(advanced)) {
		if (wire[name] !== undefined && value !== undefined && value !== '') thresholds[wire[name]] = value;
	}
	const result = await mathServiceRequest.call(this, 'POST', '/v1/decisions', { alert_id: alertId, thresholds }, itemIndex);
	// Keep Signal Intake's gates (symbol, whitelist, staleness) beside the risk gates for the card;
	// the service's own `gates` stay as it answered.
	const intakeGates = this.getInputData()[itemIndex]?.json.gates;
	return Array.isArray(intakeGates) ? { ...result, intake_gates: intakeGates } : result;
}
