import { afterEach, describe, expect, it } from 'vitest';
import { Engine, type ClientSession } from '../../engine/engine';
import { CONFIG_VERSION, type ConnectionStatus, type LiveSamples, type WorkspaceConfig } from '../../shared/contract';
import { Quality } from '../../shared/samples';
import { StripLine } from '../../sim/line-model';
import { publishLine, type MqttLinePublisher } from '../../sim/mqtt-publisher';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto';
import { tempDir, waitFor } from '../../testing/helpers';
import { recordingClient } from '../../testing/engine-client';


function config(url: string, protocolVersion: 4 | 5): WorkspaceConfig {
  const signal = (name: string, address: string) => ({ name, unit: '', description: '', connection: 'Broker', address, scale: 1, offset: 0, timebaseMs: 100 });
  return {
    version: CONFIG_VERSION,
    connections: [{ name: 'Broker', protocol: 'mqtt', url, protocolVersion, rejectUnauthorized: true, timestampSource: 'receive', timeoutMs: 1000, enabled: true }],
    signals: [signal('Line Speed', 'parx/demo/line-speed'), signal('Coil ID', 'parx/demo/line@$.coil.id'), signal('Entry Tension', 'spb:Plant/Line1/PLC:Entry Tension')],
  };
}

describe('engine with the demo line over MQTT', () => {
  let engine: Engine | undefined;
  let broker: Mosquitto | undefined;
  let publisher: MqttLinePublisher | undefined;
  afterEach(async () => {
    await publisher?.stop();
    await engine?.stop();
    await broker?.stop();
    publisher = undefined;
    engine = undefined;
    broker = undefined;
  });

  it.each([4, 5] as const)('MQTT %s: streams, records a gap when the broker dies, and resumes when it is back on the same port', async (version) => {
    broker = await startMosquitto();
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const rec = recordingClient();
    const session: ClientSession = engine.connect(rec.client);
    expect((await session.call('config.save', { config: config(broker.url, version) })).ok).toBe(true);
    expect((await session.call('live.subscribe', { signals: ['Line Speed', 'Coil ID', 'Entry Tension'], maxRate: 30 })).ok).toBe(true);
    await waitFor(() => rec.states.at(-1)?.state === 'connected', 'connected', 15_000);
    const line = new StripLine({ seed: 5, startMs: Date.now() });
    const start = () => publishLine(() => line.step(Date.now()), { url: broker?.url ?? '', periodMs: 20, protocolVersion: version, sparkplug: { group: 'Plant', node: 'Line1', device: 'PLC' } });
    publisher = await start();
    const good = (id: number) => rec.samples.some((b) => b.signal.some((s, i) => s === id && b.quality[i] === Quality.good));
    await waitFor(() => good(0) && good(1) && good(2), 'good samples of all three signals', 15_000);
    const coil = rec.samples.flatMap((b) => Array.from(b.value.filter((_, i) => b.signal[i] === 1)));
    expect(coil.every((c) => c >= 250001)).toBe(true);

    await broker.stop();
    const down = await waitFor(() => rec.states.find((s) => s.state === 'disconnected'), 'disconnected state', 15_000);
    expect(down.lastError).toMatch(/broker at mqtt:\/\/127\.0\.0\.1:\d+ (closed the connection|went offline)/);
    await waitFor(() => rec.samples.some((b) => b.quality.includes(Quality.bad)), 'a gap marker');
    const gap = rec.samples.find((b) => b.quality.includes(Quality.bad)) as LiveSamples;
    expect(Number.isNaN(gap.value[gap.quality.indexOf(Quality.bad)])).toBe(true);
    await publisher.stop();

    await broker.restart();
    await waitFor(() => rec.states.at(-1)?.state === 'connected', 'reconnected', 20_000);
    const before = rec.samples.length;
    publisher = await start();
    await waitFor(() => rec.samples.slice(before).some((b) => b.signal.some((s, i) => s === 2 && b.quality[i] === Quality.good)), 'fresh Sparkplug samples after the reconnect', 15_000);
    const status = await session.call('connections.list', {});
    expect(status.ok && (status.value as ConnectionStatus[])[0]?.reconnects).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
