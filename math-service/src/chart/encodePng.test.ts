import { describe, expect, it } from 'vitest';
import { decodePng } from './decodePng';
import { crc32, encodePng } from './encodePng';

describe('encodePng', () => {
	it('computes the standard CRC-32 check value of "123456789" (0xCBF43926)', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		expect(crc32(Buffer.from('IEND'))).toBe(0xae426082); // every PNG ends in 00 00 00 00 IEND AE 42 60 82
	});

	it('round-trips arbitrary pixels through all five row filters', () => {
		const width = 37;
		const height = 23;
		const rgba = new Uint8Array(width * height * 4);
		let seed = 12345;
		for (let i = 0; i < rgba.length; i++) {
			seed = (seed * 1103515245 + 12345) >>> 0;
			// Mix noise, gradients and flat runs so different rows prefer different filters.
			const y = Math.floor(i / (width * 4));
			rgba[i] = y % 3 === 0 ? seed >>> 24 : y % 3 === 1 ? (i * 7) & 0xff : 200;
		}
		const png = encodePng(width, height, rgba);
		const decoded = decodePng(png);
		expect(decoded).toMatchObject({ width, height, chunks: ['IHDR', 'IDAT', 'IEND'] });
		expect(Buffer.from(decoded.rgba).equals(Buffer.from(rgba))).toBe(true);
		expect([...png.subarray(png.length - 8)]).toEqual([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
	});

	it('refuses a buffer that does not match the dimensions', () => {
		expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(RangeError);
	});
});
