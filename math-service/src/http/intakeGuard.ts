/**
 * @module http/intakeGuard
 * The transport limits of the public webhook intake (`POST /v1/signals/tradingview`), applied
 * before the body is read or anything is authenticated:
 * 1. rate limit: a token bucket per client address (core/intake/SourceRateLimiter; settings
 *    `HFQ_INTAKE_BURST`, `HFQ_INTAKE_RATE_PER_SECOND`) → 429 `{detail, reason_code: "rate_limited"}`
 *    with `Retry-After` in whole seconds;
 * 2. size limit: the alert body may not exceed `MAX_ALERT_BODY_BYTES` (16 KB; the Pine message is
 *    about 350 bytes), checked by Content-Length before reading and while reading → 413
 *    `{detail, reason_code: "body_too_large"}`.
 * The client address is the one the allowlist uses (`requestClientAddress`); a request that did not
 * come over a socket (an in-process `app.request()`) has none and is not rate-limited.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { performance } from 'node:perf_hooks';
import type { AppDeps } from '../appDeps';
import { clientAddress } from '../core/intake/clientAddress';
import { MAX_ALERT_BODY_BYTES } from '../core/intake/parseTradingViewBody';
import { SourceRateLimiter } from '../core/intake/SourceRateLimiter';
import { pipelineFor } from '../pipeline/createPipeline';
import { readBody } from './readBody';

/** The TCP peer of the request, when it came over a socket. */
export function peerAddressOf(c: Context): string | undefined {
	return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
}

/** The client address `trustedProxies` hops from the right of X-Forwarded-For (intake/clientAddress), or null. */
export function requestClientAddress(c: Context, trustedProxies: number): string | null {
	return clientAddress(c.req.header('x-forwarded-for'), peerAddressOf(c), trustedProxies);
}

export interface IntakeGuardOptions {
	/** Monotonic milliseconds (tests pass a fake). */
	nowMs?: () => number;
}

export function intakeGuard(deps: AppDeps, options: IntakeGuardOptions = {}): MiddlewareHandler {
	const nowMs = options.nowMs ?? (() => performance.now());
	const readAlert = readBody({ maxBytes: MAX_ALERT_BODY_BYTES, tooLargeMessage: `Alert body too large: the limit is ${MAX_ALERT_BODY_BYTES} bytes` });
	let limiter: SourceRateLimiter | undefined;
	return async (c, next) => {
		if (c.req.method !== 'POST') return next();
		const settings = pipelineFor(deps).settings;
		limiter ??= new SourceRateLimiter(settings.intakeBurst, settings.intakeRatePerSecond);
		const source = requestClientAddress(c, settings.trustedProxies) ?? peerAddressOf(c);
		if (source !== undefined && limiter.enabled) {
			const decision = limiter.take(source, nowMs());
			if (!decision.allowed) {
				c.header('Retry-After', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
				return c.json({ detail: 'Too many alerts from this address: slow down and retry after Retry-After seconds', reason_code: 'rate_limited' }, 429);
			}
		}
		try {
			return await readAlert(c, next);
		} catch (error) {
			if (error instanceof HTTPException && error.status === 413) {
				return c.json({ detail: error.message, reason_code: 'body_too_large' }, 413);
			}
			throw error;
		}
	};
}
