// n8n community-node lint rules (eslint-plugin-n8n-nodes-base, the rule set n8n's node-cli uses):
// `nodes` on nodes/, `credentials` on credentials/, `community` on the package.json manifest.
// The plugin ships eslintrc-style configs; only their `rules` are taken here (flat config).
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const plugins = { 'n8n-nodes-base': n8nNodesBase };

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'math-service/**', '**/*.test.ts', 'test/**'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tsParser, sourceType: 'module' },
	},
	{
		files: ['credentials/**/*.ts'],
		plugins,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// The rule wants a camelCase slug of docs.n8n.io (n8n's own credentials); a community
			// credential must link a full URL, as n8n's starter does.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Both rules predate n8n-workflow's typed `NodeConnectionTypes.Main` (=== 'main'), which
			// n8n's own nodes and starter use; they only accept the string literal.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// The community rules read the package.json manifest (name, keywords, n8n section).
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins,
		rules: { ...n8nNodesBase.configs.community.rules },
	},
];
