import { Engine } from '../../engine/engine';
import { defaultWorkspaceDir } from '../../workspace/paths';
import { CliError, parseCli, untilSignal } from '../cli-error';

const FORMATS = ['parquet', 'csv', 'duckdb'] as const;

/**
 * parx record [--workspace DIR] [--format parquet|csv|duckdb] — the headless collector of an edge PC: collects and records
 * what the workspace configures, with no UI and no server, until stopped (Ctrl-C / SIGTERM).
 */
export async function runRecord(args: string[]): Promise<number> {
  const { values } = parseCli(args, { workspace: { type: 'string' }, format: { type: 'string' } });
  const workspace = values.workspace ?? defaultWorkspaceDir();
  const format = values.format as (typeof FORMATS)[number] | undefined;
  if (format !== undefined && !FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const engine = await Engine.start({ workspace, mode: 'node', ...(format ? { recordingFormat: format } : {}) });
  engine.on('log', (l) => process.stderr.write(`[${l.level}] ${l.message}\n`));
  if (engine.configProblem) process.stderr.write(`[error] ${engine.configProblem.message}\n`);
  if (!engine.config.recording?.enabled) {
    await engine.stop();
    throw new CliError(`recording is not enabled in ${workspace}/config.json: set "recording": { "enabled": true, … } (see README)`, 1);
  }
  process.stdout.write(`Recording ${engine.config.signals.length} signals of ${engine.config.connections.length} connection(s) into ${workspace}/recordings — Ctrl-C stops and closes the open batch\n`);
  await untilSignal();
  await engine.stop();
  return 0;
}
