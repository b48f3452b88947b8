import { Storage } from '../../recorder/storage';
import type { CleanupReport } from '../../recorder/retention';
import { ConfigStore } from '../../workspace/config-store';
import { defaultWorkspaceDir } from '../../workspace/paths';
import { RemoteClient } from '../remote-client';
import { CliError, parseCli } from '../cli-error';

function print(r: CleanupReport): void {
  if (r.actions.length === 0) process.stdout.write('nothing to clean up: every batch is within the retention rules\n');
  for (const a of r.actions) {
    const what = r.dryRun ? (a.archivedTo ? 'would archive+delete' : 'would delete') : a.done ? (a.archivedTo ? 'archived+deleted' : 'deleted') : 'KEPT';
    process.stdout.write(`${what}\t${a.file}\t${a.bytes} bytes\t${a.reason}${a.archivedTo ? `\t→ ${a.archivedTo}` : ''}${a.error ? `\t${a.error}` : ''}\n`);
  }
}

/**
 * parx cleanup [--workspace DIR | --url URL] [--dry-run] — apply the retention rules now:
 * through a running engine (--url), or on a workspace directly.
 */
export async function runCleanup(args: string[]): Promise<number> {
  const { values } = parseCli(args, { workspace: { type: 'string' }, url: { type: 'string' }, 'dry-run': { type: 'boolean' } });
  const dryRun = values['dry-run'] ?? false;
  if (values.url) {
    let client: RemoteClient;
    try {
      client = await RemoteClient.connect(values.url);
    } catch (e) {
      throw new CliError(`cannot reach the engine: ${(e as Error).message}`, 1);
    }
    const r = await client.call('catalog.cleanup', { dryRun });
    client.close();
    if (!r.ok) throw new CliError(r.error.message, 1);
    print(r.value);
    return r.value.actions.some((a) => a.error) ? 1 : 0;
  }
  const workspace = values.workspace ?? defaultWorkspaceDir();
  const loaded = await new ConfigStore(workspace).load();
  if (loaded.problem) throw new CliError(loaded.problem.message, 1);
  if (!loaded.config.recording?.retention) throw new CliError(`no retention rules in ${workspace}/config.json: set "recording": { "retention": { "maxAgeDays": …, "maxTotalMB": …, "maxCount": … } }`, 1);
  const storage = Storage.start({
    workspace,
    config: () => loaded.config,
    log: (level, message) => process.stderr.write(`[${level}] ${message}\n`),
    openBatches: () => [],
  });
  await storage.started;
  try {
    const r = await storage.cleanup(dryRun);
    if (!r.ok) throw new CliError(r.error.message, 1);
    print(r.value);
    return r.value.actions.some((a) => a.error) ? 1 : 0;
  } finally {
    await storage.stop();
  }
}
