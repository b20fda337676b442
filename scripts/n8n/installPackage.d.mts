export const REPO_ROOT: string;
export function installPackage(opts: { userFolder: string; packageRoot?: string }): {
	name: string;
	version: string;
	dir: string;
	nodeFiles: string[];
	credentialFiles: string[];
};
