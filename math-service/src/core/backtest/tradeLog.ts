/**
 * @module backtest/tradeLog
 * A growable struct-of-arrays log of simulated trades (prices and bar indices only; money is
 * computed afterwards by `accountTrades`). Reusable across the combinations of a sweep: `reset()`
 * keeps the buffers, so a sweep allocates nothing per combination.
 */

export const EXIT_TARGET = 0;
export const EXIT_STOP = 1;
export const EXIT_TIME = 2;
export const EXIT_END_OF_DATA = 3;

/** Why a position was closed: the VWAP limit, the stop, the 48 h time stop, or the data ended. */
export type ExitReason = 'target' | 'stop' | 'time' | 'end_of_data';
export const EXIT_REASONS: readonly ExitReason[] = ['target', 'stop', 'time', 'end_of_data'];

export class TradeLog {
	count = 0;
	signalIndex: Int32Array;
	entryIndex: Int32Array;
	exitIndex: Int32Array;
	entryPrice: Float64Array;
	exitPrice: Float64Array;
	target: Float64Array;
	stop: Float64Array;
	reason: Uint8Array;

	constructor(capacity = 256) {
		this.signalIndex = new Int32Array(capacity);
		this.entryIndex = new Int32Array(capacity);
		this.exitIndex = new Int32Array(capacity);
		this.entryPrice = new Float64Array(capacity);
		this.exitPrice = new Float64Array(capacity);
		this.target = new Float64Array(capacity);
		this.stop = new Float64Array(capacity);
		this.reason = new Uint8Array(capacity);
	}

	reset(): void {
		this.count = 0;
	}

	push(
		signalIndex: number,
		entryIndex: number,
		entryPrice: number,
		exitIndex: number,
		exitPrice: number,
		reason: number,
		target: number,
		stop: number,
	): void {
		if (this.count === this.signalIndex.length) this.grow();
		const k = this.count++;
		this.signalIndex[k] = signalIndex;
		this.entryIndex[k] = entryIndex;
		this.entryPrice[k] = entryPrice;
		this.exitIndex[k] = exitIndex;
		this.exitPrice[k] = exitPrice;
		this.reason[k] = reason;
		this.target[k] = target;
		this.stop[k] = stop;
	}

	private grow(): void {
		const cap = this.signalIndex.length * 2;
		const i32 = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
		const f64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
		this.signalIndex = i32(this.signalIndex);
		this.entryIndex = i32(this.entryIndex);
		this.exitIndex = i32(this.exitIndex);
		this.entryPrice = f64(this.entryPrice);
		this.exitPrice = f64(this.exitPrice);
		this.target = f64(this.target);
		this.stop = f64(this.stop);
		const r = new Uint8Array(cap);
		r.set(this.reason);
		this.reason = r;
	}
}
