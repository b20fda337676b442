import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; test/ holds integration and end-to-end suites that talk to real
// MariaDB, Redis and a real n8n process.
export default defineConfig({
	test: {
		pool: 'forks',
		testTimeout: 30_000,
		hookTimeout: 600_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['nodes/**/*.test.ts', 'credentials/**/*.test.ts', 'math-service/src/**/*.test.ts', 'math-service/bench/**/*.test.ts'],
				},
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['test/**/*.test.ts'],
					fileParallelism: false,
				},
			},
		],
	},
});
