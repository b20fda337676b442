import type { N8nExecution } from './n8nInstance.mjs';
export function readExecutions(userFolder: string, opts?: { limit?: number; workflowId?: string }): N8nExecution[];
