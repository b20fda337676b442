/**
 * The Telegram signal card of one decision receipt, in Telegram's HTML parse mode.
 *
 * The card restates what the math service decided; it computes nothing financial except two
 * display figures: the stop and target distances from the entry in percent,
 * (stop − entry) / entry × 100 and (target − entry) / entry × 100. Size, quantity and R/R are
 * the receipt's own numbers.
 *
 * Layout (most important first, the unbounded free text last, so that cutting from the end to
 * meet Telegram's limits — 4096 characters for a message, 1024 for a photo caption — never loses
 * the levels, the size, the buttons' decision id or the swap reminder):
 *   header (action, pair, tier, PAPER/LIVE) · entry/stop/target · size and quantity · R/R ·
 *   gate summary ✅/❌ · swap link + Flashbots reminder · decision id · LLM note.
 * An exit (sell/exit alert that closed the paper position) shows the exit price and what was
 * closed instead of levels and size, and links the swap back to USDT.
 *
 * Every text is HTML-escaped; the card is built from segments (text + style), and truncation
 * shortens the text of a segment before escaping, so no tag or entity is ever cut in half.
 */
import { swapRouteFor } from './swapRoute';

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
const ELLIPSIS = '…';

export interface CardGate {
	name: string;
	passed: boolean;
	detail?: string;
}

export interface SignalCardData {
	decisionId: string;
	status: string;
	reason?: string;
	action: string;
	symbol: string;
	asset: string;
	tier: number | null;
	entry: number | null;
	/** Exit alerts (sell/exit): the price the paper position was closed at. */
	exitPrice: number | null;
	stop: number | null;
	target: number | null;
	positionPct: number | null;
	quantity: number | null;
	rewardRisk: number | null;
	gates: CardGate[];
	llmNote: string | null;
	mode: 'paper' | 'live';
}

export interface Segment {
	text: string;
	style?: 'b' | 'i' | 'code';
	href?: string;
}

export type Line = Segment[];

/** Escapes the three characters Telegram's HTML mode requires (&, <, >) and quotes for attributes. */
export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderSegment(segment: Segment): string {
	let html = escapeHtml(segment.text);
	if (segment.style) html = `<${segment.style}>${html}</${segment.style}>`;
	if (segment.href) html = `<a href="${escapeHtml(segment.href)}">${html}</a>`;
	return html;
}

/**
 * Renders lines to HTML of at most `limit` UTF-16 code units (Telegram counts characters; a
 * UTF-16 length is never smaller than that count, so the result is always accepted). When the
 * card is too long, the last segments are dropped or shortened with an ellipsis.
 */
export function renderLines(lines: Line[], limit: number): { html: string; truncated: boolean } {
	let html = '';
	for (let l = 0; l < lines.length; l++) {
		const separator = l === 0 ? '' : '\n';
		for (let s = 0; s < lines[l].length; s++) {
			const prefix = s === 0 ? separator : '';
			const segment = lines[l][s];
			const piece = prefix + renderSegment(segment);
			if (html.length + piece.length <= limit) {
				html += piece;
				continue;
			}
			// Shorten this segment's text (whole code points, escaped width counted) to fit with an
			// ellipsis; a link loses its href first.
			const plain = { ...segment, href: undefined };
			const budget = limit - html.length - prefix.length - renderSegment({ ...plain, text: '' }).length - ELLIPSIS.length;
			let used = 0;
			let end = 0;
			for (const char of segment.text) {
				const width = escapeHtml(char).length;
				if (used + width > budget) break;
				used += width;
				end += char.length;
			}
			if (end > 0) html += prefix + renderSegment({ ...plain, text: segment.text.slice(0, end) + ELLIPSIS });
			return { html, truncated: true };
		}
	}
	return { html, truncated: false };
}

function formatPrice(value: number | null): string {
	if (value === null) return 'n/a';
	const digits = Math.abs(value) >= 1000 ? 2 : Math.abs(value) >= 1 ? 4 : 6;
	return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

function formatNumber(value: number | null, digits: number): string {
	return value === null ? 'n/a' : value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

function distancePct(level: number | null, entry: number | null): string {
	if (level === null || entry === null || entry === 0) return '';
	const pct = ((level - entry) / entry) * 100;
	return ` (${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(2)}%)`;
}

/** Short labels of the service's gate names; unknown names are shown as they come. */
const GATE_LABELS: Record<string, string> = {
	symbol: 'symbol',
	sizing: 'size',
	whitelist: 'whitelist',
	staleness: 'fresh',
	dailyDrawdownHalt: 'drawdown',
	operatorHalt: 'operator halt',
	panicSwitch: 'panic',
	minRewardRisk: 'R/R',
	maxPositionPerAsset: 'position cap',
	portfolioHeat: 'heat',
	cashAvailable: 'cash',
	varBudget: 'VaR',
	timeStop: 'time stop',
};

/** The card as lines of segments (see the module comment for the order). */
export function signalCardLines(card: SignalCardData): Line[] {
	const approved = card.status === 'approved';
	const badge = card.mode === 'live' ? '🔴 LIVE' : '📝 PAPER';
	const icon = !approved ? '⛔' : card.action === 'sell' || card.action === 'exit' ? '🔻' : '🟢';
	const header: Line = [
		{ text: `${icon} ` },
		{ text: `${card.action.toUpperCase()} ${card.symbol}`, style: 'b' },
		{ text: card.tier === null ? '' : ` · Tier ${card.tier}` },
		{ text: ' · ' },
		{ text: badge, style: 'b' },
	];
	const lines: Line[] = [header];
	const exit = card.action === 'sell' || card.action === 'exit';
	if (!approved) lines.push([{ text: `Rejected: ${card.reason ?? card.status}`, style: 'i' }]);
	if (exit) {
		lines.push([{ text: 'Exit   ' }, { text: formatPrice(card.exitPrice ?? card.entry), style: 'code' }]);
		if (approved && card.reason) lines.push([{ text: card.reason, style: 'i' }]);
	} else {
		lines.push(
			[{ text: 'Entry  ' }, { text: formatPrice(card.entry), style: 'code' }],
			[{ text: 'Stop   ' }, { text: formatPrice(card.stop), style: 'code' }, { text: distancePct(card.stop, card.entry) }],
			[{ text: 'Target ' }, { text: formatPrice(card.target), style: 'code' }, { text: distancePct(card.target, card.entry) }],
			[
				{ text: 'Size ' },
				{ text: card.positionPct === null ? 'n/a' : `${formatNumber(card.positionPct, 2)}%`, style: 'b' },
				{ text: ' of equity · qty ' },
				{ text: formatNumber(card.quantity, 8), style: 'code' },
				{ text: ` ${card.asset}` },
			],
			[{ text: 'R/R ' }, { text: card.rewardRisk === null ? 'n/a' : formatNumber(card.rewardRisk, 2), style: 'b' }],
		);
	}
	if (card.gates.length > 0) {
		lines.push([{ text: card.gates.map((gate) => `${gate.passed ? '✅' : '❌'} ${GATE_LABELS[gate.name] ?? gate.name}`).join('  ') }]);
	}
	const route = swapRouteFor(card.asset, exit ? 'sell' : 'buy');
	if (route.kind === 'evm') {
		const pair = exit ? `${route.token} → USDT` : `USDT → ${route.token}`;
		lines.push([{ text: '🔁 ' }, { text: `Swap ${pair} on 1inch (${route.chain})`, href: route.url }]);
		lines.push([{ text: `🛡 ${route.note}`, style: 'i' }]);
	} else {
		lines.push([{ text: `🔁 ${route.note}`, style: 'i' }]);
	}
	lines.push([{ text: 'Decision ' }, { text: card.decisionId, style: 'code' }]);
	if (card.llmNote) lines.push([{ text: '🤖 ' }, { text: card.llmNote, style: 'i' }]);
	return lines;
}

/** The card's HTML within `limit` characters. */
export function renderSignalCard(card: SignalCardData, limit: number = MESSAGE_LIMIT): { html: string; truncated: boolean } {
	return renderLines(signalCardLines(card), limit);
}
