import { evaluateOverRecordings } from '../../formulas/eval-recordings';
import { CliError, parseCli } from '../cli-error';

const USAGE = 'usage: parx eval "FORMULA" --source FILE|FOLDER [--json] [--from T] [--to T]   (T: ISO time or ms since the epoch)';

function timeOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new CliError(`${flag} must be an ISO time (2026-03-29T06:00:00Z) or ms since the epoch, not "${value}"`);
  return n;
}

/** parx eval "FORMULA" --source PATH — a formula over recorded batch files, printed as ts,value lines (or JSON lines). */
export async function runEval(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, { source: { type: 'string' }, json: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' } }, true);
  const [formula] = positionals;
  if (!formula || !values.source) throw new CliError(USAGE);
  const from = timeOption(values.from, '--from');
  const to = timeOption(values.to, '--to');
  const r = await evaluateOverRecordings(formula, values.source, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  if (!r.ok) {
    if (r.error.position !== undefined) {
      // Show where: the formula with a caret under the position.
      throw new CliError(`${r.error.message}\n  ${formula}\n  ${' '.repeat(Math.min(r.error.position, formula.length))}^`, 1);
    }
    throw new CliError(r.error.message, 1);
  }
  const { ts, value, unit } = r.value;
  const lines: string[] = [];
  const flush = (): void => {
    process.stdout.write(lines.join(''));
    lines.length = 0;
  };
  if (!values.json) lines.push(`ts,value${unit ? ` [${unit}]` : ''}\n`);
  for (let i = 0; i < ts.length; i++) {
    const t = new Date(ts[i]!).toISOString();
    const v = value[i]!;
    if (values.json) lines.push(`${JSON.stringify({ ts: t, value: Number.isFinite(v) ? v : null, unit })}\n`);
    else lines.push(`${t},${Number.isNaN(v) ? '' : v}\n`);
    if (lines.length >= 4096) flush();
  }
  flush();
  return 0;
}
