import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Connection to the HighFreqQuant math service: its base URL and, when the service runs with
 * MATH_SERVICE_API_KEY, the key it expects in the `X-API-Key` header. On loopback the key may be
 * left empty; the service refuses to listen on a non-loopback host without one.
 */
export class HighFreqQuantApi implements ICredentialType {
	name = 'highFreqQuantApi';

	displayName = 'HighFreqQuant API';

	icon: Icon = {
		light: 'file:../nodes/RiskSizer/riskSizer.svg',
		dark: 'file:../nodes/RiskSizer/riskSizer.dark.svg',
	};

	documentationUrl = 'https://github.com/highfreqquant/n8n-nodes-highfreqquant#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:8000',
			placeholder: 'http://127.0.0.1:8000',
			description: 'Where the HighFreqQuant math service listens, without a trailing path',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The value of MATH_SERVICE_API_KEY on the service. Optional when the service listens on loopback without a key.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/health',
			method: 'GET',
		},
	};
}
