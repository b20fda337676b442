/** The part of autocannon's API the benchmarks use (the package ships no types). */
declare module 'autocannon' {
	interface Histogram {
		average: number;
		mean: number;
		p50: number;
		p90: number;
		p99: number;
		max: number;
		total: number;
	}
	interface Result {
		duration: number;
		requests: Histogram;
		latency: Histogram;
		throughput: Histogram;
		errors: number;
		timeouts: number;
		non2xx: number;
	}
	interface Options {
		url: string;
		method?: string;
		connections?: number;
		duration?: number;
		headers?: Record<string, string>;
		body?: string;
		pipelining?: number;
	}
	function autocannon(options: Options): Promise<Result>;
	export default autocannon;
}
