import type { N8nExecution } from './n8nInstance.mjs';
export function readExecutions(userFolder: string, opts?: { limit?: number; workflowId?: string }): N8nExecution[];
/** Published workflows whose published version is not live yet (n8n 2.41.1's publication outbox); empty on 2.8.4. */
export function unappliedPublications(userFolder: string): { workflowId: string; reason: string }[];
