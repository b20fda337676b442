/**
 * @module alpha
 * The composite alpha score and its components (technical, on-chain, news sentiment, custom).
 */
export * from './compositeAlphaScore.js';
export * from './customComponent.js';
export * from './newsSentiment.js';
export * from './onChainScore.js';
export * from './technicalScore.js';
export * from './alphaScoreColumns.js';
export * from './technicalScoreColumn.js';
