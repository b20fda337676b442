/**
 * @module chart/encodePng
 * A minimal PNG encoder (W3C PNG spec, 3rd ed.): 8-bit RGBA (colour type 6), no interlace.
 * Each scanline gets the filter (None, Sub, Up, Average, Paeth) with the smallest sum of absolute
 * filtered bytes — the spec's recommended heuristic — then the image is zlib-deflated with
 * node:zlib and split into IHDR, IDAT and IEND chunks, each with its CRC-32. Same pixels in,
 * same bytes out.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320), as PNG chunks use it. */
export function crc32(bytes: Uint8Array, crc = 0): number {
	let c = ~crc >>> 0;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
	return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'latin1');
	out.set(data, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
	return out;
}

/** Paeth predictor: whichever of left, up, upper-left is closest to left + up − upper-left. */
export function paeth(a: number, b: number, c: number): number {
	const p = a + b - c;
	const pa = Math.abs(p - a);
	const pb = Math.abs(p - b);
	const pc = Math.abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Encodes `rgba` (width·height·4 bytes, row-major, top row first) as a PNG file.
 * @throws RangeError when the buffer size does not match the dimensions.
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError('PNG dimensions must be positive integers');
	const stride = width * 4;
	if (rgba.length !== stride * height) throw new RangeError(`expected ${stride * height} RGBA bytes, got ${rgba.length}`);
	const filtered = new Uint8Array((stride + 1) * height);
	const candidate = new Uint8Array(stride);
	const best = new Uint8Array(stride);
	const zero = new Uint8Array(stride);
	for (let y = 0; y < height; y++) {
		const row = rgba.subarray(y * stride, (y + 1) * stride);
		const up = y > 0 ? rgba.subarray((y - 1) * stride, y * stride) : zero;
		let bestType = 0;
		let bestScore = Number.POSITIVE_INFINITY;
		for (let type = 0; type <= 4; type++) {
			let score = 0;
			for (let i = 0; i < stride; i++) {
				const a = i >= 4 ? row[i - 4]! : 0;
				const b = up[i]!;
				const c = i >= 4 ? up[i - 4]! : 0;
				const x = row[i]!;
				const predicted = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
				const v = (x - predicted) & 0xff;
				candidate[i] = v;
				score += v < 128 ? v : 256 - v;
			}
			if (score < bestScore) {
				bestScore = score;
				bestType = type;
				best.set(candidate);
			}
		}
		filtered[y * (stride + 1)] = bestType;
		filtered.set(best, y * (stride + 1) + 1);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // colour type: truecolour with alpha
	ihdr[10] = 0; // compression: deflate
	ihdr[11] = 0; // filter method 0 (adaptive, five types)
	ihdr[12] = 0; // no interlace
	return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(filtered, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}
