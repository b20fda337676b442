export function startSettingsProblems(env?: Record<string, string | undefined>): string[];
