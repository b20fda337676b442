/**
 * @module vwapMeanReversionScanner
 * Live form of the VWAP mean-reversion signal: feed each **closed** bar, get the signal and the trade
 * plan at that close. The expected entry is the next bar's open; the plan's reward/risk is measured
 * from the signal close, as the alert payload reports it.
 */
import { barHlc3, type Candle } from '../candles.js';
import { InvalidInputError } from '../../errors.js';
import { EmaStream } from '../indicators/ema.js';
import { StdevStream } from '../indicators/stdev.js';
import { VwapStream } from '../indicators/vwap.js';
import { rewardRiskRatio } from './rewardRiskRatio.js';
import { resolveVwapMeanReversionParams, type VwapMeanReversionParams } from './vwapMeanReversionParams.js';

/** The scanner's view at one bar's close; `null` = Pine na. */
export interface VwapMeanReversionScan {
	openTime: number;
	/** Pine's longCondition at this close. */
	longSignal: boolean;
	close: number;
	vwap: number | null;
	stdev: number | null;
	lowerBand: number | null;
	upperBand: number | null;
	trendEma: number | null;
	/** close·(1 − stopLossRatio) when longSignal, else null. */
	stop: number | null;
	/** The VWAP when longSignal, else null. */
	target: number | null;
	/** (target − close)/(close − stop) when longSignal, else null. */
	rewardRisk: number | null;
	/** longSignal and rewardRisk >= minRewardRisk. */
	meetsMinRewardRisk: boolean;
}

const orNull = (x: number): number | null => (x === x ? x : null);

/**
 * Streaming scanner, O(1) per bar, identical numbers to {@link vwapMeanReversionSeries} on the same bars
 * (tested bit-for-bit on a whole real file). Bars must arrive in strictly increasing `openTime`;
 * otherwise InvalidInputError (a repeated or late bar would corrupt the running state).
 */
export class VwapMeanReversionScanner {
	readonly params: VwapMeanReversionParams;
	private readonly vwapStream: VwapStream;
	private readonly sdStream: StdevStream;
	private readonly emaStream: EmaStream;
	private prevClose = Number.NaN;
	private lastOpenTime = -Infinity;
	private bars = 0;

	constructor(p?: Partial<VwapMeanReversionParams>) {
		this.params = resolveVwapMeanReversionParams(p);
		this.vwapStream = new VwapStream({ sessionOffsetMs: this.params.sessionOffsetMs ?? 0 });
		this.sdStream = new StdevStream(this.params.stdevLength);
		this.emaStream = new EmaStream(this.params.trendEmaLength);
	}

	/** Number of bars seen so far. */
	get barCount(): number {
		return this.bars;
	}

	/** Adds one closed bar and returns the signal at its close. */
	update(bar: Candle): VwapMeanReversionScan {
		if (!(bar.openTime > this.lastOpenTime)) {
			throw new InvalidInputError(
				`bar openTime ${bar.openTime} is not after the previous bar's ${this.lastOpenTime}`,
				['openTime'],
			);
		}
		this.lastOpenTime = bar.openTime;
		this.bars++;
		const typical = barHlc3(bar);
		const vw = this.vwapStream.next(typical, bar.volume, bar.openTime);
		const sd = this.sdStream.next(typical);
		const trend = this.emaStream.next(bar.close);
		const dev = sd * this.params.deviationThreshold;
		const lower = vw - dev;
		const upper = vw + dev;
		const x = bar.close;
		const prev = this.prevClose;
		this.prevClose = x;
		const longSignal = x < lower && x > trend && x > prev;
		let stop: number | null = null;
		let target: number | null = null;
		let rewardRisk: number | null = null;
		if (longSignal) {
			stop = x * (1 - this.params.stopLossRatio);
			target = vw;
			rewardRisk = rewardRiskRatio(x, stop, vw);
		}
		return {
			openTime: bar.openTime,
			longSignal,
			close: x,
			vwap: orNull(vw),
			stdev: orNull(sd),
			lowerBand: orNull(lower),
			upperBand: orNull(upper),
			trendEma: orNull(trend),
			stop,
			target,
			rewardRisk,
			meetsMinRewardRisk: longSignal && rewardRisk !== null && rewardRisk >= this.params.minRewardRisk,
		};
	}
}
