import { RemoteClient } from '../remote-client';
import { CliError, parseCli } from '../cli-error';

/** parx status [--url URL] [--json] — connections and polling groups of a running engine. */
export async function runStatus(args: string[]): Promise<number> {
  const { values } = parseCli(args, { url: { type: 'string' }, json: { type: 'boolean' } });
  const url = values.url ?? process.env.PARX_URL;
  if (!url) throw new CliError('which engine? pass --url URL (as printed by parx serve) or set PARX_URL');
  let client: RemoteClient;
  try {
    client = await RemoteClient.connect(url);
  } catch (e) {
    throw new CliError(`cannot reach the engine: ${(e as Error).message}`, 1);
  }
  const r = await client.call('health.get', {});
  client.close();
  if (!r.ok) throw new CliError(r.error.message, 1);
  const { connections, groups, droppedLive } = r.value;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(r.value)}\n`);
  } else {
    for (const c of connections) {
      process.stdout.write(`${c.name}  ${c.state}  ${c.endpoint}  reads ${c.reads}  errors ${c.errors}  reconnects ${c.reconnects}${c.lastError ? `  — ${c.lastError}` : ''}\n`);
      for (const g of groups.filter((x) => x.connection === c.name)) {
        const predicted = g.predictedCycleMs === null ? '' : `  predicted ${g.predictedCycleMs.toFixed(1)} ms`;
        process.stdout.write(`  ${g.mode} ${g.timebaseMs} ms: ${g.signals} signals, ${g.cycles} cycles, ${g.overruns} overruns, cycle ${g.lastCycleMs.toFixed(1)} ms${predicted}, jitter p99 ${g.jitterP99Ms.toFixed(2)} ms\n`);
      }
    }
    if (droppedLive > 0) process.stdout.write(`live viewers too slow: ${droppedLive} samples dropped\n`);
  }
  return connections.every((c) => c.state === 'connected' || c.state === 'disabled') ? 0 : 1;
}
