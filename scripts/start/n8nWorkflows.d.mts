export const MATH_CREDENTIAL_TYPE: string;
/** What `npm start` imports (paths relative to the repository): signal, buttons, then the heartbeat. */
export const START_WORKFLOW_FILES: string[];
export const TELEGRAM_CREDENTIAL_TYPE: string;
export const GLASSNODE_CREDENTIAL_TYPE: string;
export const CRYPTOPANIC_CREDENTIAL_TYPE: string;
export const PROVIDERS: Record<'glassnode' | 'cryptoPanic', { type: string; label: string; settings: string; fallbackName: string }>;
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
	glassnode?: { apiKey: string; baseUrl: string } | null;
	cryptoPanic?: { authToken: string; baseUrl: string } | null;
}): PreparedWorkflows;
export function storedWorkflowIds(userFolder: string): Set<string>;
export function writeState(userFolder: string, state: unknown): void;
export function plan(
	userFolder: string,
	prepared: PreparedWorkflows,
): { toImport: PreparedWorkflow[]; kept: PreparedWorkflow[]; credentialsChanged: boolean; next: unknown };
