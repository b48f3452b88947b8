import path from 'node:path';
import { Engine } from '../../engine/engine';
import { ConfigStore } from '../../workspace/config-store';
import { defaultWorkspaceDir } from '../../workspace/paths';
import { describeProblems } from '../../shared/contract';
import { CliError, parseCli, untilSignal } from '../cli-error';
import { quickConfig } from './record-quick';

const FORMATS = ['parquet', 'csv', 'duckdb'] as const;

function positiveNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${option} must be a positive number, not "${value}"`);
  return n;
}

/**
 * parx record [--workspace DIR] [--format parquet|csv|duckdb] — the headless collector of an edge PC: collects and records
 * what the workspace configures, with no UI and no server, until stopped (Ctrl-C / SIGTERM).
 * parx record URL SIGNAL… --out DIR [--duration S] [--timebase MS] [--format F] [--batch-by SIGNAL] — the field form:
 * the configuration is made from the URL and addresses (as for `parx probe`), the workspace is DIR/.parx.
 */
export async function runRecord(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(
    args,
    { workspace: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, duration: { type: 'string' }, timebase: { type: 'string' }, 'batch-by': { type: 'string' } },
    true,
  );
  const format = values.format as (typeof FORMATS)[number] | undefined;
  if (format !== undefined && !FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const durationS = positiveNumber(values.duration, '--duration');
  let workspace = values.workspace ?? defaultWorkspaceDir();
  if (positionals.length > 0) {
    const [url, ...addresses] = positionals as [string, ...string[]];
    if (!values.out) throw new CliError('the field form needs --out DIR: parx record URL SIGNAL… --out DIR');
    const config = quickConfig({ url, addresses, out: values.out, timebaseMs: positiveNumber(values.timebase, '--timebase') ?? 100, ...(values['batch-by'] ? { batchBy: values['batch-by'] } : {}), ...(format ? { format } : {}) });
    workspace = values.workspace ?? path.join(path.resolve(values.out), '.parx');
    const saved = await new ConfigStore(workspace).save(config);
    if (!saved.ok) throw new CliError(`cannot record that: ${describeProblems(saved.problems)}`);
  } else if (values.out || values['batch-by'] || values.timebase) {
    throw new CliError('--out, --batch-by and --timebase belong to the field form: parx record URL SIGNAL… --out DIR');
  }
  const engine = await Engine.start({ workspace, mode: 'node', ...(format ? { recordingFormat: format } : {}) });
  engine.on('log', (l) => process.stderr.write(`[${l.level}] ${l.message}\n`));
  if (engine.configProblem) process.stderr.write(`[error] ${engine.configProblem.message}\n`);
  if (!engine.config.recording?.enabled) {
    await engine.stop();
    throw new CliError(`recording is not enabled in ${workspace}/config.json: set "recording": { "enabled": true, … } (see README)`, 1);
  }
  const into = engine.config.recording.destination ? path.resolve(workspace, engine.config.recording.destination) : path.join(workspace, 'recordings');
  process.stdout.write(`Recording ${engine.config.signals.length} signals of ${engine.config.connections.length} connection(s) into ${into} — ${durationS ? `for ${durationS} s; ` : ''}Ctrl-C stops and closes the open batch\n`);
  await (durationS ? Promise.race([untilSignal(), new Promise((r) => setTimeout(r, durationS * 1000))]) : untilSignal());
  await engine.stop();
  return 0;
}
