import { probe } from '../../collector/probe';
import { CliError, parseCli } from '../cli-error';

function seconds(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} must be a positive number of seconds, not "${v}"`);
  return n * 1000;
}

/** parx probe URL SIGNAL… [--json] [--timeout S] — exits 1 when any value could not be read. */
export async function runProbe(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, { json: { type: 'boolean' }, timeout: { type: 'string' } }, true);
  const [url, ...signals] = positionals;
  if (!url || signals.length === 0) throw new CliError('usage: parx probe URL SIGNAL… [--json] [--timeout S]');
  const r = await probe(url, signals, seconds(values.timeout, '--timeout', 10_000));
  if (!r.ok) throw new CliError(r.error.message, 1);
  for (const v of r.value) {
    if (values.json) process.stdout.write(`${JSON.stringify({ signal: v.signal, value: v.value, quality: v.quality, ts: new Date(v.ts).toISOString(), ...(v.error ? { error: v.error } : {}) })}\n`);
    else process.stdout.write(`${v.signal}\t${v.value ?? '—'}\t\t${v.quality}${v.error ? `\t${v.error}` : ''}\n`);
  }
  return r.value.every((v) => v.quality === 'good') ? 0 : 1;
}
