// A loopback pass-through in front of the math service for the heartbeat end-to-end test: n8n's
// HighFreqQuant API credential points here, every request is forwarded unchanged and every JSON
// answer is kept, so a test can read what each scheduled run was told (ran, or skipped because a
// previous run held the job's lease, with the reason) without changing what n8n receives.
import { createServer, request as httpRequest } from 'node:http';

import { listenOnLoopback } from '../../fakes/fakeServer';

export interface ServiceCall {
	method: string;
	/** Path with the query string. */
	path: string;
	status: number;
	/** The parsed JSON answer (undefined for other content types). */
	body: any;
	receivedAt: number;
	answeredAt: number;
}

export interface ServiceRecorder {
	url: string;
	calls: ServiceCall[];
	/** Requests forwarded and not yet answered. */
	inFlight(): number;
	close(): Promise<void>;
}

export async function startServiceRecorder(targetUrl: string): Promise<ServiceRecorder> {
	const target = new URL(targetUrl);
	const calls: ServiceCall[] = [];
	let pending = 0;
	const server = createServer((req, res) => {
		const receivedAt = Date.now();
		pending++;
		let settled = false;
		const settle = () => {
			if (!settled) pending--;
			settled = true;
		};
		const upstream = httpRequest(
			{ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => {
					chunks.push(chunk);
					res.write(chunk);
				});
				answer.on('end', () => {
					res.end();
					let body: unknown;
					if (String(answer.headers['content-type'] ?? '').includes('json')) {
						try {
							body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
						} catch {
							body = undefined;
						}
					}
					calls.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: answer.statusCode ?? 0, body, receivedAt, answeredAt: Date.now() });
					settle();
				});
			},
		);
		upstream.on('error', (error) => {
			settle();
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`service recorder: ${error.message}`);
		});
		req.pipe(upstream);
	});
	const { url, close } = await listenOnLoopback(server);
	return { url, calls, inFlight: () => pending, close };
}
