export function staleReason(root: string): string | null;
export function buildIfStale(root: string, log: (line: string) => void): string;
