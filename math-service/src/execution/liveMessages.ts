/**
 * @module execution/liveMessages
 * Telegram-ready texts (plain text, one message each) for what happened to a LIVE order, carried in
 * the decision's receipt (`execution.message`) so the n8n workflow can send them as they are.
 */
import type { LiveOrderRow } from '../storage/liveOrderOutbox.js';

const n = (x: number | null | undefined, digits = 8) => (x === null || x === undefined ? '?' : String(Number(x.toFixed(digits))));

export function liveOrderMessage(row: LiveOrderRow): string {
	const what = `LIVE ${row.side.toUpperCase()} ${n(row.quantity)} ${row.symbol}`;
	const tail = `Order ${row.clientOrderId} on ${row.exchange}.`;
	switch (row.state) {
		case 'filled':
		case 'partially_filled': {
			const partly = row.state === 'partially_filled' ? ` (partially: ${n(row.filledQuantity)} of ${n(row.quantity)})` : '';
			const guard =
				row.protection === 'oco'
					? `Stop ${n(row.stopPrice)} / target ${n(row.targetPrice)} rest on the exchange (OCO ${row.protectionId}).`
					: `Stop ${n(row.stopPrice)} / target ${n(row.targetPrice)} are watched by the risk monitor.`;
			return `✅ ${what} filled${partly} at ${n(row.averagePrice)} (fee ${n(row.feeQuote, 4)} quote). ${guard} ${tail}`;
		}
		case 'insufficient_balance':
			return `⚠️ ${what} NOT placed: insufficient balance (${row.reason}). No position opened. ${tail}`;
		case 'rejected':
			return `⚠️ ${what} rejected: ${row.reason}. No position opened. ${tail}`;
		case 'sent':
			return `⏳ ${what} sent, result not yet known: ${row.reason}. It is looked up by its client order id; no second order is sent. ${tail}`;
		default:
			return `⏳ ${what} recorded, not yet sent. ${tail}`;
	}
}

export function liveCloseMessage(o: { symbol: string; quantity: number; price: number; pnl: number; exitReason: string; via: string; leftover?: { quantity: number; dust: boolean } | null }): string {
	const base = o.symbol.split('/')[0];
	const left = o.leftover == null ? '' : o.leftover.dust
		? ` ${n(o.leftover.quantity)} ${base} left on the exchange as dust (below its minimum order).`
		: ` ${n(o.leftover.quantity)} ${base} left on the exchange unsold: sell it by hand (its cost is in the P&L).`;
	return `🔻 LIVE SELL ${n(o.quantity)} ${o.symbol} at ${n(o.price)} (${o.exitReason}, ${o.via}); P&L ${n(o.pnl, 2)} quote.${left}`;
}
