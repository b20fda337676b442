export const SAMPLE_LEVELS: { ticker: string; exchange: string; interval: string; close: number; vwap: number; stop: number; target: number };
export function sampleAlertCommand(webhookUrl: string, secret: string): string;
