// Reads Prometheus' text exposition format 0.0.4 back into samples, for tests that check what
// GET /metrics reports. Strict: a line that is neither a comment nor a sample throws.
export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;

export function parsePrometheusText(text: string): Sample[] {
	const samples: Sample[] = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
		const m = SAMPLE.exec(line);
		if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
		const labels: Record<string, string> = {};
		if (m[2]) {
			LABEL.lastIndex = 0;
			let consumed = 0;
			for (let l; (l = LABEL.exec(m[2])); ) {
				labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
				consumed = LABEL.lastIndex;
			}
			if (consumed !== m[2].length) throw new Error(`bad labels: ${JSON.stringify(line)}`);
		}
		const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
		if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`bad value: ${JSON.stringify(line)}`);
		samples.push({ name: m[1]!, labels, value });
	}
	return samples;
}

/** The value of the one sample `name` whose labels include `labels`, summed over matches; 0 when absent. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
	return samples
		.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
		.reduce((sum, s) => sum + s.value, 0);
}
