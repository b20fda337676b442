/**
 * @module desk/countGateHits
 * Which risk and intake gates stopped trades: over a set of decision receipts, the number of times
 * each gate did not pass (a receipt lists every gate it ran, failed ones with `passed: false`; one
 * rejected alert can hit several gates), and the number of rejections per reason code (the first
 * failure, the decision's reason). Receipts that are not JSON are counted as `unreadable`. Pure.
 */
export interface GateHits {
	decisions: number;
	approved: number;
	rejected: number;
	/** gate name → times it did not pass, sorted by count, then name. */
	by_gate: Record<string, number>;
	/** reason code → rejections. */
	by_reason: Record<string, number>;
	unreadable: number;
}

export function countGateHits(decisions: readonly { status: string; reasonCode: string | null; receiptJson: string }[]): GateHits {
	const byGate = new Map<string, number>();
	const byReason = new Map<string, number>();
	let approved = 0;
	let unreadable = 0;
	for (const d of decisions) {
		if (d.status === 'approved') approved++;
		else byReason.set(d.reasonCode ?? 'rejected', (byReason.get(d.reasonCode ?? 'rejected') ?? 0) + 1);
		let gates: unknown;
		try {
			gates = (JSON.parse(d.receiptJson) as { gates?: unknown }).gates;
		} catch {
			unreadable++;
			continue;
		}
		if (!Array.isArray(gates)) continue;
		for (const g of gates as { name?: unknown; passed?: unknown }[]) {
			if (g && typeof g.name === 'string' && g.passed === false) byGate.set(g.name, (byGate.get(g.name) ?? 0) + 1);
		}
	}
	const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
	return { decisions: decisions.length, approved, rejected: decisions.length - approved, by_gate: sorted(byGate), by_reason: sorted(byReason), unreadable };
}
