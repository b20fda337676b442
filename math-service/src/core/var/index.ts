export { valueAtRisk, VAR_METHODS, type VarMethod, type VarOptions, type VarResult } from './valueAtRisk.js';
