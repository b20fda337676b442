import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * A Glassnode API key (API access is a paid add-on). The key goes in the `X-Api-Key` header, as
 * Glassnode's own client does, so it never lands in a URL or a proxy log. The Base URL is
 * https://api.glassnode.com unless a test double is used. The test request fetches one day of BTC SOPR.
 */
export class GlassnodeApi implements ICredentialType {
	name = 'glassnodeApi';

	displayName = 'Glassnode API';

	icon: Icon = { light: 'file:../nodes/Glassnode/glassnode.svg', dark: 'file:../nodes/Glassnode/glassnode.dark.svg' };

	documentationUrl = 'https://github.com/highfreqquant/n8n-nodes-highfreqquant/blob/main/docs/n8n.md#glassnode';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Glassnode API key (Glassnode Studio → Settings → API)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.glassnode.com',
			required: true,
			description: 'Where the Glassnode API is served. Change it only for a test double.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/metrics/indicators/sopr',
			method: 'GET',
			qs: { a: 'BTC', i: '24h', s: '={{Math.floor(Date.now() / 1000) - 2 * 86400}}' },
		},
	};
}
