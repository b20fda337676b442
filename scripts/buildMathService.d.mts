export const DIST_DIR: string;
export const ENTRIES: Record<string, string>;
export const EXTERNAL: string[];
export function staleReason(): string | null;
export function buildMathService(): Promise<void>;
export function buildIfStale(log?: (line: string) => void): Promise<string>;
