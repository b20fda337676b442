/**
 * @module indicators
 * TradingView Pine v6 indicator semantics in TypeScript. Batch forms take and return Float64Array with
 * **NaN where Pine gives `na`**; streaming classes (`…Stream`) take one closed bar at a time, cost O(1)
 * per bar and return `number | null` (`null` = `na`). Both forms give bit-identical numbers.
 * Spec: Pine v6 reference semantics (docs/pine.md).
 */
export { SmaStream, sma } from './sma.js';
export { EmaStream, ema } from './ema.js';
export { RmaStream, rma } from './rma.js';
export { StdevStream, stdev } from './stdev.js';
export { DAY_MS, VwapStream, sessionDay, vwap, type VwapOptions } from './vwap.js';
export { RsiStream, rsi } from './rsi.js';
export { AtrStream, atr, trueRange } from './atr.js';
export { BollingerStream, bollingerBands, type BollingerBandsSeries } from './bollingerBands.js';
