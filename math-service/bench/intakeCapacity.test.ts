import { describe, expect, it } from 'vitest';
import { intakeCapacity } from './intakeCapacity';

describe('intakeCapacity', () => {
	it('returns the lowest per-role ceiling as the sustainable rate', () => {
		// one main at 10 ms/alert: 100/s; one worker at 8 ms: 125/s; the service at 4 ms: 250/s
		const c = intakeCapacity(
			[
				{ role: 'main', msPerAlert: 10, processes: 1 },
				{ role: 'worker', msPerAlert: 8, processes: 1 },
				{ role: 'service', msPerAlert: 4, processes: 1 },
			],
			200,
		);
		expect(c.ceilingPerSecond).toBeCloseTo(100, 9);
		expect(c.bottleneck).toBe('main');
		expect(c.ceilings.map((x) => x.perSecond)).toEqual([100, 125, 250]);
	});

	it('returns the cores busy at a rate as the sum of CPU per alert times the rate', () => {
		const c = intakeCapacity(
			[
				{ role: 'main', msPerAlert: 7, processes: 1 },
				{ role: 'worker', msPerAlert: 8, processes: 2 },
			],
			200,
		);
		// (7 + 8) ms × 200/s = 3 cores; two workers share the worker role: 250/s
		expect(c.coresAtRate).toBeCloseTo(3, 9);
		expect(c.ceilings[1]!.perSecond).toBeCloseTo(250, 9);
		expect(c.processesAtRate).toEqual([
			{ role: 'main', processes: 2 },
			{ role: 'worker', processes: 2 },
		]);
	});

	it('returns no ceiling for a role that used no CPU', () => {
		const c = intakeCapacity([{ role: 'webhook', msPerAlert: 0, processes: 1 }], 200);
		expect(c.ceilingPerSecond).toBe(Number.POSITIVE_INFINITY);
		expect(c.processesAtRate).toEqual([{ role: 'webhook', processes: 1 }]);
	});
});
