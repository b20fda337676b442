export { validateReturns, validatePeriodsPerYear } from './validateReturns.js';
export { sampleMoments, sampleStd, isNoiseStd, NOISE_RELATIVE_STD, type SampleMoments } from './sampleMoments.js';
export { normalQuantile, normalPdf } from './normal.js';
export { selectKth, minFrom, lerp, quantileInPlace } from './quantile.js';
