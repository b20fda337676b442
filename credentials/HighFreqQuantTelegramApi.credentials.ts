import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * A Telegram bot for HighFreqQuant signal cards: the token BotFather gave, the chat that receives
 * the cards by default, and the Bot API base URL (https://api.telegram.org unless a local Bot API
 * server or a test fake is used). The token travels in the URL path (`/bot<token>/<method>`), as
 * the Bot API requires, so there is no header authentication; the test request is `getMe`.
 * The webhook secret token is what Telegram sends back with every button press (Set Webhook
 * registers it, Answer Button Press and Answer Command require it); `npm start` generates it.
 * Operator Chat IDs name the chats whose commands the desk obeys (Answer Command).
 */
export class HighFreqQuantTelegramApi implements ICredentialType {
	name = 'highFreqQuantTelegramApi';

	displayName = 'HighFreqQuant Telegram API';

	icon: Icon = {
		light: 'file:../nodes/HighFreqQuantTelegram/highFreqQuantTelegram.svg',
		dark: 'file:../nodes/HighFreqQuantTelegram/highFreqQuantTelegram.dark.svg',
	};

	documentationUrl = 'https://github.com/highfreqquant/n8n-nodes-highfreqquant/blob/main/docs/n8n.md#telegram';

	properties: INodeProperties[] = [
		{
			displayName: 'Bot Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '123456789:AAExampleTokenFromBotFather',
			description: 'The token @BotFather gave when the bot was created',
			required: true,
		},
		{
			displayName: 'Default Chat ID',
			name: 'chatId',
			type: 'string',
			default: '',
			placeholder: '123456789 or @my_channel',
			description:
				'Chat that receives signal cards when the node does not name one: a user or group ID, or @channelusername',
		},
		{
			displayName: 'Webhook Secret Token',
			name: 'webhookSecretToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Set Webhook registers it with Telegram, which sends it with every button press; Answer Button Press refuses presses without it. 1-256 of A-Z, a-z, 0-9, _ and -.',
		},
		{
			displayName: 'Operator Chat IDs',
			name: 'operatorChatIds',
			type: 'string',
			default: '',
			placeholder: '123456789, -1001234567890',
			description:
				'Comma-separated chat IDs whose commands (/status, /pnl, /positions, /halt, /resume, /close, /help) the desk obeys, besides TELEGRAM_OPERATOR_CHAT_IDS of the math service. Any other chat gets no answer.',
		},
		{
			displayName: 'Bot API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.telegram.org',
			description:
				'Where the Bot API is served. Change it only for a self-hosted Bot API server or a test double.',
			required: true,
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/bot{{$credentials.accessToken}}',
			url: '/getMe',
			method: 'GET',
		},
	};
}
