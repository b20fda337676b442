/**
 * @module intake/parseBodyJson
 * The JSON value of a webhook body's text, parsed once per body. Intake reads one body in three
 * steps (the secret before validation, the optional `thresholds`, the alert itself); each asks
 * here, and the value of the last text parsed is kept, so a body is parsed once instead of up to
 * three times. The value is shared between those steps: callers only read it, never change it.
 */

export type BodyJson = { ok: true; value: unknown } | { ok: false; error: Error };

let lastText: string | undefined;
let lastResult: BodyJson | undefined;

/** JSON.parse(text), as a result instead of a throw; the same text twice in a row is parsed once. */
export function parseBodyJson(text: string): BodyJson {
	if (text === lastText && lastResult !== undefined) return lastResult;
	let result: BodyJson;
	try {
		result = { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		result = { ok: false, error: error as Error };
	}
	lastText = text;
	lastResult = result;
	return result;
}
