export { evaluateKpiGates, kpiInputOf, KPI_PROFILES, type KpiEvaluation, type KpiGate, type KpiInput, type KpiProfile, type KpiThresholds, type KpiComparator } from './kpiGates.js';
