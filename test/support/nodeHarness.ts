/**
 * Runs this package's n8n nodes in-process through n8n-core's real workflow engine
 * (`WorkflowExecute`), without an n8n server: a two-node workflow "Input" → node under test,
 * with credentials held in memory and HTTP going over the real network stack (point the
 * credentials at a loopback server). Expressions, parameter defaults, `continueOnFail`,
 * credential authentication and `httpRequestWithAuthentication` are n8n's own code.
 *
 * n8n-core is CommonJS and uses the CommonJS build of n8n-workflow; the harness takes
 * `Workflow` and friends from that same build (through `require`) so that both sides agree.
 *
 * API:
 * - `runNode({ node, parameters, input, credentials, continueOnFail })` → `{ items, error, status, run }`
 * - `testCredential(credentialType, data)` → n8n's `{ status: 'OK' | 'Error', message }`, made the
 *   way n8n's credential tester does it: the credential's `test.request` run through `RoutingNode`.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsDecrypted,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';

// n8n-core writes its settings (an encryption key the harness never uses) into the user folder
// at first use: keep that out of the user's home, in one reused temporary folder.
process.env.N8N_USER_FOLDER ??= join(tmpdir(), 'hfq-node-harness-n8n');
mkdirSync(process.env.N8N_USER_FOLDER, { recursive: true });

const require = createRequire(import.meta.url);
const workflowLib = require('n8n-workflow') as typeof import('n8n-workflow');
const core = require('n8n-core') as typeof import('n8n-core');

/** The npm package name n8n prefixes node type names with. */
export const PACKAGE_NAME = 'n8n-nodes-highfreqquant';
const INPUT_TYPE = 'hfq-test.input';
const INPUT_NAME = 'Input';

export interface CredentialUnderTest {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
}

export interface RunNodeOptions {
	/** The node to run, e.g. `new RiskSizer()`. */
	node: INodeType;
	/** Its parameters as a workflow JSON would hold them (expressions start with `=`). */
	parameters: INodeParameters;
	/** The items that reach the node; default one empty item. */
	input?: IDataObject[];
	/** Credentials the node may use, keyed by nothing: each is found by its type's `name`. */
	credentials?: CredentialUnderTest[];
	/** Sets "On Error: Continue" on the node. */
	continueOnFail?: boolean;
}

/** What a failed node left in the run data (n8n stores a plain copy of the thrown error). */
export interface NodeRunError {
	name?: string;
	message: string;
	description?: string | null;
	httpCode?: string | null;
	context?: { itemIndex?: number; [key: string]: unknown };
	[key: string]: unknown;
}

export interface NodeRunResult {
	/** The node's first main output (empty when it failed). */
	items: INodeExecutionData[];
	/** Set when the node threw. */
	error?: NodeRunError;
	status: IRun['status'];
	run: IRun;
}

/** A start node that emits the harness's input items (n8n calls `execute` with its own `this`). */
function inputNodeType(items: IDataObject[]): INodeType {
	return {
		description: {
			displayName: 'Input',
			name: INPUT_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the items given to the harness',
			defaults: { name: INPUT_NAME },
			inputs: [],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeType['description'],
		async execute(): Promise<INodeExecutionData[][]> {
			return [items.map((json) => ({ json: structuredClone(json) }))];
		},
	};
}

class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(type);
	}

	getByNameAndVersion(type: string): INodeType {
		const nodeType = this.types[type];
		if (nodeType === undefined) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getKnownTypes() {
		return {};
	}
}

/** Credentials held in memory; authentication is applied as n8n's CLI applies it. */
class CredentialsHelper extends workflowLib.ICredentialsHelper {
	private readonly byName = new Map<string, CredentialUnderTest>();

	constructor(credentials: CredentialUnderTest[]) {
		super();
		for (const credential of credentials) this.byName.set(credential.type.name, credential);
	}

	private get(type: string): CredentialUnderTest {
		const credential = this.byName.get(type);
		if (credential === undefined) throw new Error(`No credentials of type ${type} in this test`);
		return credential;
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: WorkflowType,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.get(typeName).type;
		const options = requestOptions as IHttpRequestOptions;
		if (authenticate === undefined) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		const resolve = (value: string) =>
			String(
				workflow.expression.getSimpleParameterValue(node, value, 'internal', {
					$credentials: credentials,
				}) ?? '',
			);
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			const target = ((options as unknown as Record<string, IDataObject>)[section] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[resolve(key)] = resolve(value);
			}
		}
		return options;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The harness hands out decrypted credentials only');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const { type: credentialType, data } = this.get(type);
		const defaults = Object.fromEntries(
			credentialType.properties.map((property) => [property.name, property.default]),
		);
		return { ...defaults, ...data } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.get(type).type.properties;
	}
}

function nodeTypeName(node: INodeType): string {
	return `${PACKAGE_NAME}.${node.description.name}`;
}

function latestVersion(node: INodeType): number {
	const { version } = node.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function additionalDataFor(
	credentialsHelper: CredentialsHelper,
	hooks: InstanceType<typeof core.ExecutionLifecycleHooks> | undefined,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeParameters: undefined,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the node harness');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Code runners are not available in the node harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;

/** Runs "Input" → `options.node` once through `WorkflowExecute` and returns the node's output. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const { node, parameters, input = [{}], credentials = [], continueOnFail = false } = options;
	const typeName = nodeTypeName(node);
	const nodeTypes = new NodeTypes({ [INPUT_TYPE]: inputNodeType(input), [typeName]: node });
	const nodeName = String(node.description.defaults.name ?? node.description.displayName);

	const nodeUnderTest: INode = {
		id: 'node-under-test',
		name: nodeName,
		type: typeName,
		typeVersion: latestVersion(node),
		position: [200, 0],
		parameters,
		credentials: Object.fromEntries(
			credentials.map(({ type }) => [type.name, { id: `${type.name}-1`, name: type.displayName }]),
		),
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const inputNode: INode = {
		id: 'input',
		name: INPUT_NAME,
		type: INPUT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const connections = {
		[INPUT_NAME]: { main: [[{ node: nodeName, type: 'main' as const, index: 0 }]] },
	};
	const workflowData = {
		id: 'node-harness',
		name: 'Node harness',
		active: false,
		nodes: [inputNode, nodeUnderTest],
		connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(0),
		updatedAt: new Date(0),
	} as unknown as IWorkflowBase;

	const workflow = new workflowLib.Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings: workflowData.settings,
	});

	const executionId = String(++executionCounter);
	const hooks = new core.ExecutionLifecycleHooks('manual', executionId, workflowData);
	const finished = workflowLib.createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));
	const additionalData = additionalDataFor(new CredentialsHelper(credentials), hooks, executionId);

	const execution = new core.WorkflowExecute(additionalData, 'manual');
	const startNode = workflow.getNode(INPUT_NAME) ?? undefined;
	await execution.run({ workflow, startNode });
	const run = await finished.promise;

	const task: ITaskData | undefined = run.data.resultData.runData[nodeName]?.[0];
	const error = (task?.error ?? run.data.resultData.error) as NodeRunError | undefined;
	return {
		items: task?.data?.main?.[0] ?? [],
		...(error ? { error } : {}),
		status: run.status,
		run,
	};
}

/**
 * Tests credentials the way n8n's credential tester does for a `test.request` credential: a
 * temporary node whose only parameter routes that request, run by n8n-core's `RoutingNode`, with
 * the credential's own authentication applied. Non-2xx answers and network failures → 'Error'.
 */
export async function testCredential(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const testRequest = credentialType.test?.request;
	if (testRequest === undefined) return { status: 'Error', message: 'No test request defined' };

	const tempType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: testRequest } },
			],
		} as INodeType['description'],
	};
	const typeName = nodeTypeName(tempType);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'test', name: credentialType.displayName } },
	};
	const workflow = new workflowLib.Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes({ [typeName]: tempType }),
	});
	const credentialsHelper = new CredentialsHelper([{ type: credentialType, data }]);
	const additionalData = additionalDataFor(credentialsHelper, undefined, 'credential-test');
	const decrypted = await credentialsHelper.getDecrypted(additionalData, node.credentials, credentialType.name);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: 'test',
		name: credentialType.displayName,
		type: credentialType.name,
		data: decrypted,
	};
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new core.ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		workflowLib.createRunExecutionData({ executionData: null }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	try {
		await new core.RoutingNode(context, tempType, credentialsDecrypted).runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status?: number; statusText?: string }; code?: string } })
			.cause;
		if (cause?.response?.status !== undefined) {
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
			};
		}
		return { status: 'Error', message: cause?.code ?? (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
