export { SweepEngine, runSweep, parseRange, sweepRowKpiInput, type SweepGrid, type SweepOptions, type SweepResult, type SweepRow } from './sweep.js';
export { walkForward, type WalkForwardOptions, type WalkForwardResult, type WalkForwardWindow } from './walkForward.js';
export { assessOverfitting, bestRowIndex, SHARPE_OBJECTIVE, TOTAL_RETURN_OBJECTIVE, type OverfittingReport, type SweepObjective } from './assessOverfitting.js';
export { deflatedSharpeRatio, expectedMaxSharpe, normalCdf, type DeflatedSharpe, type DeflatedSharpeInput } from './deflatedSharpeRatio.js';
export { probabilityOfBacktestOverfitting, type BlockReturnSums, type PboResult } from './probabilityOfBacktestOverfitting.js';
