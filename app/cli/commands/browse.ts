import { browse } from '../../collector/probe';
import { CliError, parseCli } from '../cli-error';

/** parx browse URL [PARENT] [--json] [--timeout S] — what a server offers (OPC UA nodes, MQTT topics, Logix tags). */
export async function runBrowse(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, { json: { type: 'boolean' }, timeout: { type: 'string' } }, true);
  const [url, parent] = positionals;
  if (!url) throw new CliError('usage: parx browse URL [PARENT] [--json] [--timeout S]');
  const t = values.timeout === undefined ? 5000 : Number(values.timeout) * 1000;
  if (!Number.isFinite(t) || t <= 0) throw new CliError(`--timeout must be a positive number of seconds, not "${values.timeout}"`);
  const r = await browse(url, parent ?? null, t);
  if (!r.ok) throw new CliError(r.error.message, 1);
  for (const item of r.value) {
    if (values.json) process.stdout.write(`${JSON.stringify(item)}\n`);
    else process.stdout.write(`${item.hasChildren ? '+' : ' '} ${item.kind.padEnd(8)} ${item.id}${item.dataType ? `\t${item.dataType}` : ''}${item.sample !== undefined ? `\t${item.sample}` : ''}\n`);
  }
  return 0;
}
