import os from 'node:os';
import path from 'node:path';

/** Where a workspace lives unless told otherwise: $PARX_WORKSPACE, else the user's data directory. */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PARX_WORKSPACE) return path.resolve(env.PARX_WORKSPACE);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'ParX', 'workspace');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'ParX', 'workspace');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'parx', 'workspace');
}

export function workspaceFiles(dir: string) {
  return {
    dir,
    config: path.join(dir, 'config.json'),
    history: path.join(dir, 'history'),
  };
}
