import { queryRecordings, RecordingsQueryError } from '../../recorder/recordings-sql';
import { catalogFile, recordingsFolder } from '../../recorder/folders';
import { ConfigStore } from '../../workspace/config-store';
import { defaultWorkspaceDir } from '../../workspace/paths';
import { CliError, parseCli } from '../cli-error';

const cell = (v: unknown): string => (v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** parx query "SQL" [--workspace DIR] [--json] — SQL across every recorded batch (`samples`, `batches`, and `signal_stats` from the catalog). */
export async function runQuery(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, { workspace: { type: 'string' }, json: { type: 'boolean' } }, true);
  const [sql] = positionals;
  if (!sql) throw new CliError('usage: parx query "SELECT … FROM samples | batches" [--workspace DIR] [--json]');
  const workspace = values.workspace ?? defaultWorkspaceDir();
  const recordings = recordingsFolder(workspace, (await new ConfigStore(workspace).load()).config.recording?.destination);
  try {
    const r = await queryRecordings(recordings, sql, { catalog: catalogFile(workspace) });
    if (values.json) for (const row of r.rows) process.stdout.write(`${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}\n`);
    else {
      process.stdout.write(`${r.columns.join('\t')}\n`);
      for (const row of r.rows) process.stdout.write(`${r.columns.map((c) => cell(row[c])).join('\t')}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof RecordingsQueryError) throw new CliError(e.message, 1);
    throw e;
  }
}
