/** `parx export SOURCE --signals a,b [--from T --to T] --format csv|xlsx|json|parquet --out FILE [--resample MS]`: no engine needed. */
import path from 'node:path';
import { ExportFormatSchema } from '../../shared/contract/files';
import { AnnotationStore } from '../../analysis/annotations/store';
import { ConfigStore } from '../../workspace/config-store';
import { runExport } from '../../analysis/export/export';
import { defaultWorkspaceDir } from '../../workspace/paths';
import { CliError, parseCli } from '../cli-error';

/** ISO-8601 (UTC unless it says otherwise) or ms since the epoch. */
export function parseTime(text: string, flag: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  const iso = /(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim()) ? text.trim() : `${text.trim()}Z`;
  const t = Date.parse(iso.replace(' ', 'T'));
  if (Number.isNaN(t)) throw new CliError(`${flag} "${text}" is neither an ISO-8601 time (2026-03-29T06:00:00Z) nor ms since the epoch`);
  return t;
}

export async function runExportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(
    args,
    {
      signals: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      resample: { type: 'string' },
      batch: { type: 'string', multiple: true },
      workspace: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    true,
  );
  const [source, extra] = positionals;
  if (!source || extra) throw new CliError('name one SOURCE (a batch file or a folder of them), e.g. parx export recordings --signals "Line Speed" --format csv --out speed.csv');
  if (!values.signals) throw new CliError('--signals is required: a comma-separated list of signal names');
  const signals = values.signals.split(',').map((s) => s.trim()).filter(Boolean);
  const format = ExportFormatSchema.safeParse(values.format ?? (values.out ? path.extname(values.out).slice(1) : ''));
  if (!format.success) throw new CliError('--format must be csv, xlsx, json or parquet');
  if (!values.out) throw new CliError('--out FILE is required');
  const from = values.from !== undefined ? parseTime(values.from, '--from') : undefined;
  const to = values.to !== undefined ? parseTime(values.to, '--to') : undefined;
  if (from !== undefined && to !== undefined && from > to) throw new CliError('--from is after --to');
  let resampleMs: number | undefined;
  if (values.resample !== undefined) {
    resampleMs = Number(values.resample);
    if (!(resampleMs > 0)) throw new CliError(`--resample must be a step in ms greater than 0, not "${values.resample}"`);
  }
  const workspace = values.workspace ?? defaultWorkspaceDir();
  const abs = path.resolve(source);
  const notes = new AnnotationStore(workspace);
  let last = 0;
  try {
    const r = await runExport(
      { source: abs, signals, from, to, batches: values.batch, format: format.data, resampleMs, out: path.resolve(values.out), derived: (await new ConfigStore(workspace).load()).config.derived },
      {
        annotations: (f, t) => notes.list(abs, f, t),
        progress: (done, total, phase) => {
          if (values.quiet || !process.stderr.isTTY || Date.now() - last < 200) return;
          last = Date.now();
          process.stderr.write(`\r${phase} ${total ? Math.round((100 * done) / total) : 0}%   `);
        },
      },
    );
    if (process.stderr.isTTY && !values.quiet) process.stderr.write('\r');
    for (const x of r.skipped) process.stderr.write(`warning: left out ${x.file}: ${x.message}\n`);
    process.stdout.write(`${r.file}: ${r.rows.toLocaleString('en')} rows, ${r.samples.toLocaleString('en')} samples, ${r.annotations} annotation(s), ${r.bytes.toLocaleString('en')} bytes\n`);
    return 0;
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
}
