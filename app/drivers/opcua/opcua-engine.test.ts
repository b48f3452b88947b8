/** The engine collecting from the demo line over OPC UA: live values, a gap when the server dies, and recovery. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_VERSION, type ConnectionStatus, type LiveSamples, type WorkspaceConfig } from '../../shared/contract';
import { Quality } from '../../shared/samples';
import { Engine } from '../../engine/engine';
import { StripLine } from '../../sim/line-model';
import { DEMO_SIGNALS } from '../../sim/demo-signals';
import { lineNodeId, serveOpcUa, type OpcUaSimServer } from '../../sim/opcua-server';
import { tempDir, waitFor } from '../../testing/helpers';
import { recordingClient } from '../../testing/engine-client';


function config(endpointUrl: string): WorkspaceConfig {
  return {
    version: CONFIG_VERSION,
    connections: [{ name: 'Line OPC UA', protocol: 'opcua', endpointUrl, securityMode: 'None', securityPolicy: 'None', auth: { type: 'anonymous' }, timeoutMs: 1000, enabled: true }],
    signals: DEMO_SIGNALS.map((s) => ({ name: s.name, unit: s.unit, description: s.description, connection: 'Line OPC UA', address: lineNodeId(s.name), scale: 1, offset: 0, timebaseMs: 100 })),
  };
}

describe('engine with the demo line over OPC UA', () => {
  let engine: Engine | undefined;
  let server: OpcUaSimServer | undefined;
  beforeAll(async () => {
    // The worker inherits the environment: its client PKI goes to a temporary folder.
    process.env.PARX_PKI_DIR = await tempDir('parx-opcua-pki-');
  });
  afterEach(async () => {
    await engine?.stop();
    await server?.close();
    engine = undefined;
    server = undefined;
  });

  it('streams live values, records a gap when the server goes away, and resumes on the same port', async () => {
    const line = new StripLine({ seed: 5, startMs: Date.now() });
    const state = () => line.step(Date.now());
    const pkiDir = await tempDir('parx-opcua-sim-');
    server = await serveOpcUa(state, { pkiDir });
    const port = server.port;
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const rec = recordingClient();
    const session = engine.connect(rec.client);
    const saved = await session.call('config.save', { config: config(server.endpointUrl) });
    expect(saved.ok).toBe(true);
    expect(await session.call('live.subscribe', { signals: ['Line Speed', 'Coil ID', 'Weld Seam'], maxRate: 30 })).toMatchObject({ ok: true });

    await waitFor(() => rec.samples.length >= 3, 'live samples', 20_000);
    const good = rec.samples.flatMap((b) => Array.from(b.quality));
    expect(good.every((q) => q === Quality.good)).toBe(true);
    const speeds = rec.samples.flatMap((b) => Array.from(b.value.filter((_, i) => b.signal[i] === 0)));
    expect(speeds.every((v) => v >= 0 && v < 1000)).toBe(true);

    await server.close();
    server = undefined;
    const down = await waitFor(() => rec.states.find((s) => s.state === 'disconnected'), 'disconnected state', 20_000);
    expect(down.lastError).toMatch(/lost|closed|ECONNREFUSED|refused|aborted|ended/i);
    await waitFor(() => rec.samples.some((b) => b.quality.includes(Quality.bad)), 'a gap marker');
    const gap = rec.samples.find((b) => b.quality.includes(Quality.bad)) as LiveSamples;
    expect(Number.isNaN(gap.value[gap.quality.indexOf(Quality.bad)])).toBe(true);

    const countBefore = rec.samples.length;
    server = await serveOpcUa(state, { port, pkiDir });
    await waitFor(() => rec.states.at(-1)?.state === 'connected' && rec.samples.length > countBefore + 2, 'reconnect and fresh samples', 30_000);
    const after = rec.samples.slice(countBefore).flatMap((b) => Array.from(b.quality));
    expect(after.filter((q) => q === Quality.good).length).toBeGreaterThan(0);
    const status = await session.call('connections.list', {});
    expect(status.ok && (status.value as ConnectionStatus[])[0]?.reconnects).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
