export interface MathServiceProcess {
	pid: number | undefined;
	onExit(fn: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void): void;
	/** SIGKILL at once; resolves when the process is gone. */
	kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null>;
	stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null>;
}
export function startMathService(opts: {
	root: string;
	env: Record<string, string | undefined>;
	url: string;
	log: (line: string) => void;
	timeoutMs?: number;
}): Promise<MathServiceProcess>;
