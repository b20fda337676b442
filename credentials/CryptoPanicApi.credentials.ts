import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * A CryptoPanic API token. CryptoPanic takes it as the `auth_token` query parameter (it has no
 * header authentication). The Base URL names the plan: `https://cryptopanic.com/api/developer/v2`
 * (or `growth`, `enterprise`; the legacy `https://cryptopanic.com/api/v1` also works); posts are
 * read from `<Base URL>/posts/`. The test request reads one page of public posts.
 */
export class CryptoPanicApi implements ICredentialType {
	name = 'cryptoPanicApi';

	displayName = 'CryptoPanic API';

	icon: Icon = { light: 'file:../nodes/CryptoPanic/cryptoPanic.svg', dark: 'file:../nodes/CryptoPanic/cryptoPanic.dark.svg' };

	documentationUrl = 'https://github.com/highfreqquant/n8n-nodes-highfreqquant/blob/main/docs/n8n.md#cryptopanic';

	properties: INodeProperties[] = [
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your CryptoPanic API auth token (cryptopanic.com/developers/api)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://cryptopanic.com/api/developer/v2',
			required: true,
			description: 'API root of your plan, without /posts/',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { qs: { auth_token: '={{$credentials.authToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/posts/',
			method: 'GET',
			qs: { public: 'true' },
		},
	};
}
