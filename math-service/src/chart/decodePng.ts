/**
 * @module chart/decodePng
 * Reads back what encodePng writes (8-bit RGBA or RGB, non-interlaced PNG), verifying every
 * chunk's CRC-32. For tests and checks of rendered charts; not a general PNG decoder.
 */
import { inflateSync } from 'node:zlib';
import { crc32, paeth } from './encodePng.js';

export interface DecodedPng {
	width: number;
	height: number;
	bitDepth: number;
	colorType: number;
	/** Chunk types in file order, e.g. ['IHDR', 'IDAT', 'IEND']. */
	chunks: string[];
	/** width·height·4 bytes, RGBA. */
	rgba: Uint8Array;
}

export function decodePng(png: Uint8Array): DecodedPng {
	const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
	if (buf.length < 8 || buf.readUInt32BE(0) !== 0x89504e47 || buf.readUInt32BE(4) !== 0x0d0a1a0a) throw new Error('not a PNG: bad signature');
	let pos = 8;
	const chunks: string[] = [];
	const idat: Buffer[] = [];
	let ihdr: Buffer | undefined;
	while (pos < buf.length) {
		const length = buf.readUInt32BE(pos);
		const type = buf.toString('latin1', pos + 4, pos + 8);
		const data = buf.subarray(pos + 8, pos + 8 + length);
		const crc = buf.readUInt32BE(pos + 8 + length);
		if (crc32(buf.subarray(pos + 4, pos + 8 + length)) !== crc) throw new Error(`bad CRC in ${type}`);
		chunks.push(type);
		if (type === 'IHDR') ihdr = data;
		else if (type === 'IDAT') idat.push(data);
		pos += 12 + length;
		if (type === 'IEND') break;
	}
	if (!ihdr) throw new Error('no IHDR');
	const width = ihdr.readUInt32BE(0);
	const height = ihdr.readUInt32BE(4);
	const bitDepth = ihdr[8]!;
	const colorType = ihdr[9]!;
	if (bitDepth !== 8 || (colorType !== 6 && colorType !== 2) || ihdr[12] !== 0) throw new Error('only 8-bit RGB/RGBA non-interlaced PNGs are supported');
	const bpp = colorType === 6 ? 4 : 3;
	const stride = width * bpp;
	const raw = inflateSync(Buffer.concat(idat));
	const pixels = new Uint8Array(stride * height);
	for (let y = 0; y < height; y++) {
		const type = raw[y * (stride + 1)]!;
		const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let i = 0; i < stride; i++) {
			const a = i >= bpp ? pixels[y * stride + i - bpp]! : 0;
			const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
			const c = y > 0 && i >= bpp ? pixels[(y - 1) * stride + i - bpp]! : 0;
			const predicted = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : type === 4 ? paeth(a, b, c) : Number.NaN;
			if (Number.isNaN(predicted)) throw new Error(`bad filter type ${type} on row ${y}`);
			pixels[y * stride + i] = (src[i]! + predicted) & 0xff;
		}
	}
	let rgba = pixels;
	if (bpp === 3) {
		rgba = new Uint8Array(width * height * 4);
		for (let p = 0; p < width * height; p++) {
			rgba.set(pixels.subarray(p * 3, p * 3 + 3), p * 4);
			rgba[p * 4 + 3] = 255;
		}
	}
	return { width, height, bitDepth, colorType, chunks, rgba };
}

/** [r, g, b, a] of pixel (x, y). */
export function pixelAt(img: DecodedPng, x: number, y: number): [number, number, number, number] {
	const i = (y * img.width + x) * 4;
	return [img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!, img.rgba[i + 3]!];
}
