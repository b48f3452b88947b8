import { RemoteClient } from '../remote-client';
import { CliError, parseCli } from '../cli-error';

/** parx capture --url URL --minutes N [--reason TEXT] — retro-capture: save the last N minutes as a batch file. */
export async function runCapture(args: string[]): Promise<number> {
  const { values } = parseCli(args, { url: { type: 'string' }, minutes: { type: 'string' }, reason: { type: 'string' } });
  const url = values.url ?? process.env.PARX_URL;
  if (!url) throw new CliError('which engine? pass --url URL (as printed by parx serve) or set PARX_URL');
  const minutes = Number(values.minutes ?? 30);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new CliError(`--minutes must be a positive number, not "${values.minutes}"`);
  let client: RemoteClient;
  try {
    client = await RemoteClient.connect(url);
  } catch (e) {
    throw new CliError(`cannot reach the engine: ${(e as Error).message}`, 1);
  }
  const r = await client.call('recording.capture', { minutes, reason: values.reason ?? 'parx capture' });
  client.close();
  if (!r.ok) throw new CliError(r.error.message, 1);
  process.stdout.write(`${r.value.file}\t${r.value.rows} rows\t${new Date(r.value.start).toISOString()} … ${new Date(r.value.end).toISOString()}\n`);
  return 0;
}
