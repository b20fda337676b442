/**
 * Reads the signal card's fields from an n8n item: the math service's decision receipt, as the
 * Risk Sizer "Decide" operation outputs it (merged into the Signal Intake item). Field names are
 * the service's snake_case ones; each is looked up at the top level, then in `receipt`,
 * `receipt.size`, `size`, `decision`, `signal` and `normalized`, so the card also works on a raw `GET /v1/decisions/:id`
 * body or a `POST /v1/signals/tradingview` answer. Nothing is computed here.
 */
import type { IDataObject } from 'n8n-workflow';

import type { CardGate, SignalCardData } from './signalCard';

const CONTAINERS = ['', 'receipt', 'receipt.size', 'size', 'decision', 'signal', 'normalized'];

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function at(json: IDataObject, path: string): unknown {
	let value: unknown = json;
	for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
	return value;
}

/** The first defined, non-null value of any of `names`, searched container by container. */
function pick(json: IDataObject, names: string[]): unknown {
	for (const container of CONTAINERS) {
		const source = container === '' ? json : at(json, container);
		if (!isObject(source)) continue;
		for (const name of names) {
			if (source[name] !== undefined && source[name] !== null) return source[name];
		}
	}
	return undefined;
}

function numberOrNull(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	return null;
}

function textOrNull(value: unknown): string | null {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number') return String(value);
	return null;
}

function gatesOf(json: IDataObject): CardGate[] {
	const gates: CardGate[] = [];
	const seen = new Set<string>();
	// Intake gates (symbol, whitelist, staleness) and risk gates, wherever they sit.
	const lists = [json.intake_gates, json.gates, ...CONTAINERS.slice(1).map((c) => at(json, `${c}.gates`))];
	for (const list of lists) {
		if (!Array.isArray(list)) continue;
		for (const gate of list) {
			if (!isObject(gate)) continue;
			const name = textOrNull(gate.name) ?? textOrNull(gate.gate);
			if (name === null || seen.has(name)) continue;
			seen.add(name);
			const passed = gate.passed ?? gate.pass ?? gate.ok;
			gates.push({ name, passed: passed === true, detail: textOrNull(gate.detail) ?? textOrNull(gate.reason) ?? undefined });
		}
	}
	return gates;
}

function llmNoteOf(json: IDataObject): string | null {
	const llm = pick(json, ['llm', 'llm_advice', 'advice']);
	if (isObject(llm)) {
		const note = textOrNull(llm.note);
		const rationale = textOrNull(llm.rationale);
		if (note && rationale && !note.includes(rationale)) return `${note} — ${rationale}`;
		return note ?? rationale;
	}
	return textOrNull(llm) ?? textOrNull(pick(json, ['llm_note']));
}

/** The card fields of one item; `decisionId` is '' when the item has none (the caller refuses it). */
export function cardDataFromItem(json: IDataObject): SignalCardData {
	const symbol = textOrNull(pick(json, ['symbol', 'pair'])) ?? textOrNull(pick(json, ['ticker'])) ?? 'unknown';
	const asset = textOrNull(pick(json, ['asset', 'base'])) ?? symbol.split(/[/:-]/)[0];
	const mode = String(pick(json, ['mode', 'execution_mode', 'trading_mode']) ?? 'paper').toLowerCase();
	return {
		decisionId:
			textOrNull(pick(json, ['decision_id'])) ??
			(isObject(json.decision) ? textOrNull(json.decision.id) : null) ??
			'',
		status: String(pick(json, ['status']) ?? 'approved'),
		reason: textOrNull(pick(json, ['reason'])) ?? textOrNull(pick(json, ['reason_code'])) ?? undefined,
		action: textOrNull(pick(json, ['action'])) ?? 'buy',
		symbol,
		asset: asset.toUpperCase(),
		tier: numberOrNull(pick(json, ['tier'])),
		entry: numberOrNull(pick(json, ['entry', 'entry_price', 'close'])),
		exitPrice: numberOrNull(pick(json, ['exit_price'])),
		stop: numberOrNull(pick(json, ['stop', 'stop_price'])),
		target: numberOrNull(pick(json, ['target', 'target_price'])),
		positionPct: numberOrNull(pick(json, ['position_pct'])),
		quantity: numberOrNull(pick(json, ['quantity', 'qty'])),
		rewardRisk: numberOrNull(pick(json, ['reward_risk', 'reward_risk_ratio', 'rr'])),
		gates: gatesOf(json),
		llmNote: llmNoteOf(json),
		mode: mode === 'live' ? 'live' : 'paper',
	};
}
