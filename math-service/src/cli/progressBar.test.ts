import { describe, expect, it } from 'vitest';
import { createProgress } from './progressBar.js';

function sink(isTTY: boolean) {
	const chunks: string[] = [];
	return { stream: { isTTY, write: (s: string) => { chunks.push(s); return true; } }, chunks };
}

describe('createProgress', () => {
	it('draws a bar redrawn in place on a terminal and ends the line when done', () => {
		const { stream, chunks } = sink(true);
		const p = createProgress(stream, 'sweep');
		for (let i = 1; i <= 200; i++) p.update(i, 200);
		p.done();
		const text = chunks.join('');
		expect(text.startsWith('\r')).toBe(true);
		expect(text).toContain('100% 200/200');
		expect(text).toMatch(/\[#+\]/);
		expect(text.endsWith('\n')).toBe(true);
		expect(chunks.length).toBeLessThanOrEqual(102); // one redraw per whole percent at most
	});

	it('prints plain percentage lines every 10% when stderr is not a terminal', () => {
		const { stream, chunks } = sink(false);
		const p = createProgress(stream, 'sweep');
		for (let i = 1; i <= 1000; i++) p.update(i, 1000);
		p.done();
		expect(chunks.join('')).not.toContain('\r');
		expect(chunks).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((pct) => `sweep: ${pct}% (${pct * 10}/1000)\n`));
	});
});
