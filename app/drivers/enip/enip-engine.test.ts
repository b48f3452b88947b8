/** The engine with an 'enip' connection against the simulated controller: stream, gap on loss, reconnect. */
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_VERSION, type ConnectionStatus, type EventName, type EventPayload, type LiveSamples, type WorkspaceConfig } from '../../shared/contract';
import { Quality } from '../../shared/samples';
import { Engine } from '../../engine/engine';
import { serveEnip, type EnipSimServer } from '../../sim/enip-server';
import { StripLine } from '../../sim/line-model';
import { tempDir, waitFor } from '../../testing/helpers';

function config(port: number): WorkspaceConfig {
  const signal = (name: string, address: string) => ({ name, unit: '', description: '', connection: 'CLX', address, scale: 1, offset: 0, timebaseMs: 50 });
  return {
    version: CONFIG_VERSION,
    connections: [{ name: 'CLX', protocol: 'enip', host: '127.0.0.1', port, slot: 0, timeoutMs: 500, enabled: true }],
    signals: [signal('Line Speed', 'LineSpeed'), signal('Scan Count', 'Program:Main.Count'), signal('Profile 2', 'Arr[2]')],
  };
}

describe('engine over EtherNet/IP', () => {
  let engine: Engine | undefined;
  let server: EnipSimServer | undefined;
  afterEach(async () => {
    await engine?.stop();
    await server?.close();
    engine = undefined;
    server = undefined;
  });

  it('streams tags, records a gap and the reason when the controller goes away, and reconnects on the same port', async () => {
    const line = new StripLine({ seed: 11 });
    const plant = () => line.step(Date.now());
    plant(); // the model catches up from its start once, not inside the first request
    server = await serveEnip(plant, {});
    const port = server.port;
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const samples: LiveSamples[] = [];
    const states: ConnectionStatus[] = [];
    const session = engine.connect({
      emit<E extends EventName>(event: E, payload: EventPayload<E>) {
        if (event === 'live.samples') samples.push(payload as LiveSamples);
        if (event === 'connection.state') states.push(payload as ConnectionStatus);
      },
      busy: () => false,
    });
    expect((await session.call('config.save', { config: config(port) })).ok).toBe(true);
    expect((await session.call('live.subscribe', { signals: ['Line Speed', 'Scan Count', 'Profile 2'], maxRate: 30 })).ok).toBe(true);
    await waitFor(() => samples.length >= 3, 'live samples');
    const first = samples[0] as LiveSamples;
    expect(Array.from(first.quality).every((q) => q === Quality.good)).toBe(true);
    expect(first.value[first.signal.indexOf(2)]).toBe(2.5);

    await server.close();
    server = undefined;
    const down = await waitFor(() => states.find((s) => s.state === 'disconnected'), 'disconnected state');
    expect(down.lastError).toMatch(/closed the connection|reset|refused/);
    await waitFor(() => samples.some((b) => b.quality.includes(Quality.bad)), 'a gap marker');
    const gap = samples.find((b) => b.quality.includes(Quality.bad)) as LiveSamples;
    expect(Number.isNaN(gap.value[gap.quality.indexOf(Quality.bad)])).toBe(true);

    const before = samples.length;
    server = await serveEnip(plant, { port });
    await waitFor(() => states.at(-1)?.state === 'connected' && samples.length > before + 2, 'reconnect and fresh samples', 20_000);
    const status = await session.call('connections.list', {});
    expect(status.ok && (status.value as ConnectionStatus[])[0]?.reconnects).toBeGreaterThanOrEqual(1);
  }, 40_000);
});
