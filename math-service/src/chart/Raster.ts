/**
 * @module chart/Raster
 * An RGBA pixel buffer with the few drawing primitives a price chart needs: filled rectangles
 * (candle bodies, label boxes), 1-px horizontal/vertical lines (grid, wicks, price levels) and
 * anti-aliased lines (Xiaolin Wu's algorithm, 1991) for indicator curves. Colours are opaque RGB;
 * `alpha` blends over what is already there. Drawing is clipped to the raster, or to `clip` when
 * set. Integer pixel (x, y) covers [x, x + 1) × [y, y + 1); y grows downwards.
 */

export type Rgb = readonly [number, number, number];

export interface Rect {
	left: number;
	top: number;
	/** Exclusive. */
	right: number;
	/** Exclusive. */
	bottom: number;
}

export class Raster {
	readonly data: Uint8Array;
	clip: Rect | null = null;

	constructor(
		readonly width: number,
		readonly height: number,
		background: Rgb = [0, 0, 0],
	) {
		this.data = new Uint8Array(width * height * 4);
		for (let i = 0; i < width * height; i++) {
			this.data[i * 4] = background[0];
			this.data[i * 4 + 1] = background[1];
			this.data[i * 4 + 2] = background[2];
			this.data[i * 4 + 3] = 255;
		}
	}

	private inside(x: number, y: number): boolean {
		const c = this.clip;
		if (x < 0 || y < 0 || x >= this.width || y >= this.height) return false;
		return c === null || (x >= c.left && x < c.right && y >= c.top && y < c.bottom);
	}

	/** Blends `color` at coverage `alpha` (0–1) over pixel (x, y). */
	plot(x: number, y: number, color: Rgb, alpha = 1): void {
		if (!(alpha > 0) || !this.inside(x, y)) return;
		const i = (y * this.width + x) * 4;
		const a = Math.min(1, alpha);
		const d = this.data;
		d[i] = Math.round(d[i]! + (color[0] - d[i]!) * a);
		d[i + 1] = Math.round(d[i + 1]! + (color[1] - d[i + 1]!) * a);
		d[i + 2] = Math.round(d[i + 2]! + (color[2] - d[i + 2]!) * a);
	}

	/** Fills x0 ≤ x < x1, y0 ≤ y < y1 (integer-rounded, either corner order). */
	fillRect(x0: number, y0: number, x1: number, y1: number, color: Rgb, alpha = 1): void {
		const [xa, xb] = x0 <= x1 ? [x0, x1] : [x1, x0];
		const [ya, yb] = y0 <= y1 ? [y0, y1] : [y1, y0];
		for (let y = Math.round(ya); y < Math.round(yb); y++) for (let x = Math.round(xa); x < Math.round(xb); x++) this.plot(x, y, color, alpha);
	}

	hline(x0: number, x1: number, y: number, color: Rgb, dash: readonly [on: number, off: number] | null = null): void {
		const yy = Math.round(y);
		const period = dash ? dash[0] + dash[1] : 0;
		for (let x = Math.round(Math.min(x0, x1)); x <= Math.round(Math.max(x0, x1)); x++) {
			if (dash && (x - Math.round(x0)) % period >= dash[0]) continue;
			this.plot(x, yy, color);
		}
	}

	vline(x: number, y0: number, y1: number, color: Rgb, alpha = 1): void {
		const xx = Math.round(x);
		for (let y = Math.round(Math.min(y0, y1)); y <= Math.round(Math.max(y0, y1)); y++) this.plot(xx, y, color, alpha);
	}

	/** Anti-aliased line from (x0, y0) to (x1, y1) in pixel-centre coordinates (Wu). */
	line(x0: number, y0: number, x1: number, y1: number, color: Rgb, alpha = 1): void {
		const steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
		if (steep) [x0, y0, x1, y1] = [y0, x0, y1, x1];
		if (x0 > x1) [x0, y0, x1, y1] = [x1, y1, x0, y0];
		const put = (x: number, y: number, c: number) => (steep ? this.plot(y, x, color, c * alpha) : this.plot(x, y, color, c * alpha));
		const dx = x1 - x0;
		const gradient = dx === 0 ? 1 : (y1 - y0) / dx;
		const fpart = (v: number) => v - Math.floor(v);
		const rfpart = (v: number) => 1 - fpart(v);

		let xend = Math.round(x0);
		let yend = y0 + gradient * (xend - x0);
		let xgap = rfpart(x0 + 0.5);
		const xStart = xend;
		put(xStart, Math.floor(yend), rfpart(yend) * xgap);
		put(xStart, Math.floor(yend) + 1, fpart(yend) * xgap);
		let intery = yend + gradient;

		xend = Math.round(x1);
		yend = y1 + gradient * (xend - x1);
		xgap = fpart(x1 + 0.5);
		const xEnd = xend;
		if (xEnd !== xStart) {
			put(xEnd, Math.floor(yend), rfpart(yend) * xgap);
			put(xEnd, Math.floor(yend) + 1, fpart(yend) * xgap);
		}
		for (let x = xStart + 1; x < xEnd; x++) {
			put(x, Math.floor(intery), rfpart(intery));
			put(x, Math.floor(intery) + 1, fpart(intery));
			intery += gradient;
		}
	}

	/**
	 * A line `width` pixels thick for curves that run mostly left to right: in every pixel column
	 * the line covers the rows between its heights at the column's two edges, widened by width/2;
	 * each row is blended by how much of it is covered (area anti-aliasing, one blend per pixel).
	 */
	thickLine(x0: number, y0: number, x1: number, y1: number, color: Rgb, width: number): void {
		if (x0 > x1) [x0, y0, x1, y1] = [x1, y1, x0, y0];
		const slope = x1 === x0 ? 0 : (y1 - y0) / (x1 - x0);
		const yAt = (x: number) => y0 + slope * (Math.min(x1, Math.max(x0, x)) - x0);
		const half = width / 2;
		for (let x = Math.ceil(x0 - 0.5); x < Math.ceil(x1 - 0.5) || (x0 === x1 && x === Math.round(x0)); x++) {
			const a = yAt(x - 0.5);
			const b = yAt(x + 0.5);
			const top = Math.min(a, b) - half;
			const bottom = Math.max(a, b) + half;
			for (let y = Math.round(top); y <= Math.round(bottom); y++) {
				const cover = Math.min(bottom, y + 0.5) - Math.max(top, y - 0.5);
				this.plot(x, y, color, cover);
			}
			if (x0 === x1) break;
		}
	}

	/**
	 * Connects consecutive finite points; NaN y leaves a gap (an indicator's warm-up, a missing day),
	 * and so does `connected(i) === false` for the segment from point i − 1 to point i.
	 */
	polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: Rgb, width = 1, connected: (i: number) => boolean = () => true): void {
		for (let i = 1; i < ys.length; i++) {
			if (!connected(i)) continue;
			const ya = ys[i - 1]!;
			const yb = ys[i]!;
			if (!Number.isFinite(ya) || !Number.isFinite(yb)) continue;
			if (width > 1) this.thickLine(xs[i - 1]!, ya, xs[i]!, yb, color, width);
			else this.line(xs[i - 1]!, ya, xs[i]!, yb, color);
		}
	}
}
