export const MATH_CREDENTIAL_TYPE: string;
export const TELEGRAM_CREDENTIAL_TYPE: string;
export interface PreparedWorkflow {
	file: string;
	workflow: { id: string; name: string; nodes: Record<string, any>[]; connections: Record<string, unknown> } & Record<string, unknown>;
	hash: string;
}
export interface PreparedWorkflows {
	workflows: PreparedWorkflow[];
	credentials: { id: string; name: string; type: string; data: Record<string, unknown> }[];
	credentialsHash: string;
}
export function prepareWorkflows(opts: {
	files: string[];
	mathUrl: string;
	mathApiKey: string;
	telegram: { token: string; chatId: string; baseUrl: string; webhookSecretToken?: string } | null;
}): PreparedWorkflows;
export function storedWorkflowIds(userFolder: string): Set<string>;
export function writeState(userFolder: string, state: unknown): void;
export function plan(
	userFolder: string,
	prepared: PreparedWorkflows,
): { toImport: PreparedWorkflow[]; kept: PreparedWorkflow[]; credentialsChanged: boolean; next: unknown };
