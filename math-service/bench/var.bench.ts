/**
 * @module bench/var.bench
 * In-process VaR/CVaR over 1,000,000 fat-tailed synthetic returns, each method, median of 9 runs
 * after 2 warm-up runs (target: < 50 ms). Runs alone: `npx tsx math-service/bench/var.bench.ts`.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { valueAtRisk } from '../src/core/var/valueAtRisk';
import { median, printFigure, syntheticReturns } from './report';

const N = 1_000_000;
const RUNS = 9;

export async function runVarBench(): Promise<void> {
	const returns = syntheticReturns(N);
	console.log(`VaR in-process, ${N.toLocaleString('en-US')} returns (Float64Array), median of ${RUNS} runs:`);
	for (const method of ['historical', 'parametric', 'cornish_fisher'] as const) {
		for (let i = 0; i < 2; i++) valueAtRisk(returns, { method, confidence: 0.99 });
		const times: number[] = [];
		const cpuTimes: number[] = [];
		let last = null as ReturnType<typeof valueAtRisk> | null;
		for (let i = 0; i < RUNS; i++) {
			const c0 = process.cpuUsage();
			const t0 = performance.now();
			last = valueAtRisk(returns, { method, confidence: 0.99 });
			times.push(performance.now() - t0);
			const c = process.cpuUsage(c0);
			cpuTimes.push((c.user + c.system) / 1000);
		}
		printFigure({ label: `valueAtRisk ${method} (VaR ${last!.var?.toFixed(4)}), wall`, value: median(times), unit: 'ms', target: { kind: 'below', value: 50 } });
		printFigure({ label: `valueAtRisk ${method}, CPU (shared machine)`, value: median(cpuTimes), unit: 'ms' });
	}
	const plain = Array.from(returns);
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		valueAtRisk(plain, { method: 'historical', confidence: 0.99 });
		times.push(performance.now() - t0);
	}
	printFigure({ label: 'valueAtRisk historical, plain number[] input', value: median(times), unit: 'ms', target: { kind: 'below', value: 50 } });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void runVarBench();
