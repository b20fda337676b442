export { kellyFraction, validateKellyInput, type KellyInput } from './kellyFraction.js';
export {
	kellyPosition,
	HALF_KELLY,
	QUARTER_KELLY,
	DEFAULT_POSITION_CAP,
	type KellyPosition,
	type KellyPositionInput,
} from './kellyPosition.js';
export { continuousKellyFraction } from './continuousKellyFraction.js';
