/**
 * @module parseFlatJson
 * A direct parser for the common shape of the numeric endpoints' bodies: one JSON object whose
 * values are numbers, plain strings, true/false/null or arrays of numbers. Arrays of numbers come
 * out as Float64Array, read straight from the bytes, so a 1,000-return VaR request makes no
 * JavaScript array of 1,000 boxed numbers for JSON.parse and zod to walk.
 *
 * It only recognises; it never reports. Anything else — nested objects, strings with escapes, a
 * duplicate or `__proto__` key, a number JSON.parse would read as ±Infinity, any syntax error —
 * returns `undefined`, and the caller takes the general path (JSON.parse, zod, FastAPI-shaped
 * errors). Every value it does return is the double JSON.parse would give for the same text
 * (correctly rounded: exact integer/power-of-ten arithmetic when both fit a double exactly,
 * otherwise the engine's own string-to-number conversion).
 */

export type FlatJsonValue = number | string | boolean | null | Float64Array;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** 10^0 … 10^22: every one is exactly representable as a double. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Largest integer below which every integer is exact in a double (2^53). */
const EXACT_INTEGER_LIMIT = 2 ** 53;

/** Parser state over one body: the bytes and a cursor. Returns undefined where it gives up. */
class Cursor {
	pos = 0;
	constructor(readonly bytes: Uint8Array) {}

	skipSpace(): void {
		const b = this.bytes;
		let p = this.pos;
		while (p < b.length) {
			const c = b[p]!;
			if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
			p++;
		}
		this.pos = p;
	}

	/** A string without escapes, the cursor on its opening quote. */
	string(): string | undefined {
		const b = this.bytes;
		const start = this.pos + 1;
		let p = start;
		let ascii = true;
		while (p < b.length) {
			const c = b[p]!;
			if (c === QUOTE) break;
			if (c === BACKSLASH || c < 0x20) return undefined;
			if (c >= 0x80) ascii = false;
			p++;
		}
		if (p >= b.length) return undefined;
		this.pos = p + 1;
		return ascii ? latin1(b, start, p) : Buffer.from(b.buffer, b.byteOffset + start, p - start).toString('utf8');
	}

	/** A JSON number (strict grammar), the cursor on its first character; finite or undefined. */
	number(): number | undefined {
		const b = this.bytes;
		const start = this.pos;
		let p = start;
		let negative = false;
		if (b[p] === MINUS) {
			negative = true;
			p++;
		}
		// Integer and fraction digits accumulate into one mantissa while it stays exact.
		let mantissa = 0;
		let digits = 0;
		let fractionDigits = 0;
		let c = b[p];
		if (c === ZERO) {
			p++;
		} else if (c !== undefined && c > ZERO && c <= NINE) {
			while (p < b.length && (c = b[p]!) >= ZERO && c <= NINE) {
				mantissa = mantissa * 10 + (c - ZERO);
				digits++;
				p++;
			}
		} else {
			return undefined;
		}
		if (b[p] === DOT) {
			p++;
			const fractionStart = p;
			while (p < b.length && (c = b[p]!) >= ZERO && c <= NINE) {
				mantissa = mantissa * 10 + (c - ZERO);
				if (mantissa !== 0 || digits > 0) digits++;
				p++;
			}
			fractionDigits = p - fractionStart;
			if (fractionDigits === 0) return undefined;
		}
		let exponent = 0;
		c = b[p];
		if (c === LOWER_E || c === UPPER_E) {
			p++;
			let exponentNegative = false;
			if (b[p] === MINUS || b[p] === PLUS) {
				exponentNegative = b[p] === MINUS;
				p++;
			}
			const exponentStart = p;
			while (p < b.length && (c = b[p]!) >= ZERO && c <= NINE) {
				exponent = exponent * 10 + (c - ZERO);
				p++;
				if (exponent > 100_000) return undefined;
			}
			if (p === exponentStart) return undefined;
			if (exponentNegative) exponent = -exponent;
		}
		this.pos = p;
		const scale = exponent - fractionDigits;
		let value: number;
		if (digits <= 15 && mantissa < EXACT_INTEGER_LIMIT && scale >= -22 && scale <= 22) {
			// Both operands exact, one correctly rounded operation: the correctly rounded result.
			value = scale < 0 ? mantissa / EXACT_POWERS_OF_TEN[-scale]! : mantissa * EXACT_POWERS_OF_TEN[scale]!;
			if (negative) value = -value;
		} else {
			value = Number(latin1(b, start, p));
			if (!Number.isFinite(value)) return undefined;
		}
		return value;
	}

	/** An array of numbers, the cursor on `[`. */
	numberArray(): Float64Array | undefined {
		const b = this.bytes;
		this.pos++;
		this.skipSpace();
		if (b[this.pos] === CLOSE_BRACKET) {
			this.pos++;
			return new Float64Array(0);
		}
		let out = new Float64Array(64);
		let n = 0;
		for (;;) {
			const x = this.number();
			if (x === undefined) return undefined;
			if (n === out.length) {
				const grown = new Float64Array(out.length * 4);
				grown.set(out);
				out = grown;
			}
			out[n++] = x;
			this.skipSpace();
			const c = b[this.pos];
			this.pos++;
			if (c === CLOSE_BRACKET) break;
			if (c !== COMMA) return undefined;
			this.skipSpace();
		}
		return out.subarray(0, n);
	}

	value(): FlatJsonValue | undefined {
		const b = this.bytes;
		const c = b[this.pos];
		if (c === QUOTE) return this.string();
		if (c === OPEN_BRACKET) return this.numberArray();
		if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return this.number();
		if (this.literal('true')) return true;
		if (this.literal('false')) return false;
		if (this.literal('null')) return null;
		return undefined;
	}

	literal(word: string): boolean {
		for (let i = 0; i < word.length; i++) if (this.bytes[this.pos + i] !== word.charCodeAt(i)) return false;
		this.pos += word.length;
		return true;
	}
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** The body as a flat object (see the module doc), or undefined when it is anything else. */
export function parseFlatJson(bytes: Uint8Array): Record<string, FlatJsonValue> | undefined {
	const cur = new Cursor(bytes);
	cur.skipSpace();
	if (bytes[cur.pos] !== OPEN_BRACE) return undefined;
	cur.pos++;
	const out: Record<string, FlatJsonValue> = {};
	cur.skipSpace();
	if (bytes[cur.pos] === CLOSE_BRACE) {
		cur.pos++;
	} else {
		for (;;) {
			if (bytes[cur.pos] !== QUOTE) return undefined;
			const key = cur.string();
			if (key === undefined || key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) return undefined;
			cur.skipSpace();
			if (bytes[cur.pos] !== COLON) return undefined;
			cur.pos++;
			cur.skipSpace();
			const value = cur.value();
			if (value === undefined) return undefined;
			out[key] = value;
			cur.skipSpace();
			const c = bytes[cur.pos];
			cur.pos++;
			if (c === CLOSE_BRACE) break;
			if (c !== COMMA) return undefined;
			cur.skipSpace();
		}
	}
	cur.skipSpace();
	return cur.pos === bytes.length ? out : undefined;
}
