import { inspectBatchFile } from '../../recorder/inspect';
import { CliError, parseCli } from '../cli-error';

/** parx inspect FILE.parquet [--json] — what a batch file says about itself. */
export async function runInspect(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, { json: { type: 'boolean' } }, true);
  const [file] = positionals;
  if (!file) throw new CliError('usage: parx inspect FILE.parquet [--json]');
  const r = await inspectBatchFile(file);
  if (!r.ok) throw new CliError(r.error.message, 1);
  const info = r.value;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
    return 0;
  }
  process.stdout.write(`${file}\n  ${info.rows} rows, ${info.isParx ? `ParX batch format ${info.meta['parx.format_version']}` : 'not a ParX batch file (no parx.* metadata)'}\n`);
  for (const k of ['batch_id', 'coil_id', 'line', 'start', 'end', 'status', 'opened_by', 'closed_by']) {
    const v = info.meta[`parx.${k}`];
    if (v !== undefined && v !== '') process.stdout.write(`  ${k.padEnd(10)} ${v}\n`);
  }
  process.stdout.write(`  columns    ${info.columns.map((c) => `${c.name} ${c.type}`).join(', ')}\n`);
  for (const s of info.signals) process.stdout.write(`  signal     ${s.name}${s.unit ? ` [${s.unit}]` : ''} ← ${s.source?.connection ?? '?'} ${s.source?.address ?? ''} every ${s.timebase_ms ?? '?'} ms\n`);
  return 0;
}
