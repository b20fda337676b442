/**
 * @module observability/metricsRegistry
 * A minimal Prometheus registry: counters, gauges and histograms with labels, rendered in the
 * text exposition format 0.0.4 (`# HELP`, `# TYPE`, one `name{label="value"} number` line per
 * series; histograms as cumulative `_bucket{le=…}`, `_sum` and `_count`). Label values are escaped
 * (backslash, double quote, newline). Metrics are process-wide, as Prometheus expects of one
 * scrape target.
 */

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatNumber(n: number): string {
	if (Number.isNaN(n)) return 'NaN';
	if (n === Number.POSITIVE_INFINITY) return '+Inf';
	if (n === Number.NEGATIVE_INFINITY) return '-Inf';
	return String(n);
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
	const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
	if (extra) parts.push(extra);
	return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

interface Metric {
	readonly name: string;
	render(): string;
}

abstract class Family<V> implements Metric {
	protected readonly series = new Map<string, { values: string[]; value: V }>();
	constructor(
		readonly name: string,
		readonly help: string,
		readonly type: 'counter' | 'gauge' | 'histogram',
		readonly labelNames: readonly string[],
	) {}

	protected slot(labels: Labels, init: () => V): { values: string[]; value: V } {
		const values = this.labelNames.map((n) => String(labels[n] ?? ''));
		const key = values.join('\u0000');
		let s = this.series.get(key);
		if (!s) this.series.set(key, (s = { values, value: init() }));
		return s;
	}

	protected header(): string {
		return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`;
	}

	abstract render(): string;
}

export class Counter extends Family<number> {
	constructor(name: string, help: string, labelNames: readonly string[] = []) {
		super(name, help, 'counter', labelNames);
	}
	inc(labels: Labels = {}, by = 1): void {
		if (!(by >= 0)) return;
		this.slot(labels, () => 0).value += by;
	}
	get(labels: Labels = {}): number {
		return this.slot(labels, () => 0).value;
	}
	render(): string {
		let out = this.header();
		for (const s of this.series.values()) out += `${this.name}${labelText(this.labelNames, s.values)} ${formatNumber(s.value)}\n`;
		return out;
	}
}

export class Gauge extends Family<number> {
	constructor(name: string, help: string, labelNames: readonly string[] = []) {
		super(name, help, 'gauge', labelNames);
	}
	set(labels: Labels, value: number): void {
		this.slot(labels, () => 0).value = value;
	}
	inc(labels: Labels = {}, by = 1): void {
		this.slot(labels, () => 0).value += by;
	}
	/** All series as [labels, value] (for gauges derived from this one at scrape time). */
	entries(): Array<[Labels, number]> {
		return [...this.series.values()].map((s) => [Object.fromEntries(this.labelNames.map((n, i) => [n, s.values[i]!])), s.value]);
	}
	render(): string {
		let out = this.header();
		for (const s of this.series.values()) out += `${this.name}${labelText(this.labelNames, s.values)} ${formatNumber(s.value)}\n`;
		return out;
	}
}

export class Histogram extends Family<{ counts: number[]; sum: number; count: number }> {
	constructor(
		name: string,
		help: string,
		labelNames: readonly string[],
		readonly buckets: readonly number[],
	) {
		super(name, help, 'histogram', labelNames);
	}
	observe(labels: Labels, value: number): void {
		if (!Number.isFinite(value)) return;
		this.add(this.slot(labels, () => this.emptySeries()).value, value);
	}
	/**
	 * `observe` for one fixed label set, for hot paths: the series is looked up once, at the first
	 * observation (so it appears in the exposition only from then on, as with `observe`).
	 */
	observerFor(labels: Labels): (value: number) => void {
		let s: { counts: number[]; sum: number; count: number } | undefined;
		return (value) => {
			if (!Number.isFinite(value)) return;
			s ??= this.slot(labels, () => this.emptySeries()).value;
			this.add(s, value);
		};
	}
	private emptySeries() {
		return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
	}
	private add(s: { counts: number[]; sum: number; count: number }, value: number): void {
		for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]! += 1;
		s.sum += value;
		s.count += 1;
	}
	render(): string {
		let out = this.header();
		for (const s of this.series.values()) {
			this.buckets.forEach((le, i) => {
				out += `${this.name}_bucket${labelText(this.labelNames, s.values, `le="${formatNumber(le)}"`)} ${s.value.counts[i]}\n`;
			});
			out += `${this.name}_bucket${labelText(this.labelNames, s.values, 'le="+Inf"')} ${s.value.count}\n`;
			out += `${this.name}_sum${labelText(this.labelNames, s.values)} ${formatNumber(s.value.sum)}\n`;
			out += `${this.name}_count${labelText(this.labelNames, s.values)} ${s.value.count}\n`;
		}
		return out;
	}
}

/** A family whose lines are computed at scrape time (process figures, heartbeat ages). */
export class Collected implements Metric {
	constructor(
		readonly name: string,
		private readonly help: string,
		private readonly type: 'counter' | 'gauge',
		private readonly collect: () => Array<[Labels, number]>,
	) {}
	render(): string {
		let out = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`;
		for (const [labels, value] of this.collect()) {
			const names = Object.keys(labels);
			out += `${this.name}${labelText(names, names.map((n) => labels[n]!))} ${formatNumber(value)}\n`;
		}
		return out;
	}
}

export class MetricsRegistry {
	private readonly metrics: Metric[] = [];
	register<M extends Metric>(metric: M): M {
		if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
		this.metrics.push(metric);
		return metric;
	}
	/** The whole registry in the text exposition format 0.0.4. */
	render(): string {
		return this.metrics.map((m) => m.render()).join('');
	}
}
