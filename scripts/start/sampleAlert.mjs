// The one-line command `npm start` prints to send a sample TradingView alert to the local n8n.
// POSIX shell: `T=$(date +%s)`, read once, makes the alert time "now" and the alert id unique each time it is
// run (the service rejects alerts older than 60 s and answers repeats of an id with the first
// decision). Levels follow the Pine strategy: target = VWAP above the close, stop 3 % below,
// reward/risk (94500 − 90000)/(90000 − 87300) = 1.67 ≥ 1.5.

export const SAMPLE_LEVELS = { ticker: 'BINANCE:BTCUSDT', exchange: 'BINANCE', interval: '60', close: 90000, vwap: 94500, stop: 87300, target: 94500 };

/** Escapes text for use inside a double-quoted POSIX shell string. */
function shellDoubleQuoted(text) {
	return text.replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/** Escapes text for a JSON string value (no quotes added). */
function jsonString(text) {
	return JSON.stringify(text).slice(1, -1);
}

export function sampleAlertCommand(webhookUrl, secret) {
	const l = SAMPLE_LEVELS;
	const json =
		`{"secret":"${jsonString(secret)}","alert_id":"sample-@@TS@@","action":"buy","ticker":"${l.ticker}","exchange":"${l.exchange}",` +
		`"interval":"${l.interval}","time":@@TS@@000,"close":${l.close},"vwap":${l.vwap},"stop":${l.stop},"target":${l.target}}`;
	// one clock reading for both the time and the id (two `date` calls may straddle a second)
	const body = shellDoubleQuoted(json).replaceAll('@@TS@@', '${T}');
	return `T=$(date +%s); curl -sS -X POST '${webhookUrl}' -H 'Content-Type: text/plain' --data "${body}"`;
}
