/**
 * A loopback stand-in for the math service for the cases the real app cannot be asked to
 * produce (a 500, a hang-up). It speaks the service's wire format (FastAPI-style errors) and
 * records every request so tests can check paths, bodies and headers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: unknown;
}

export type FakeHandler = (request: RecordedRequest) => { status: number; body: unknown };

export interface FakeMathService {
	baseUrl: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 answering every request with `handler`. */
export async function startFakeMathService(handler: FakeHandler): Promise<FakeMathService> {
	const requests: RecordedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const recorded: RecordedRequest = {
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				body: text ? (JSON.parse(text) as unknown) : undefined,
			};
			requests.push(recorded);
			const { status, body } = handler(recorded);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
