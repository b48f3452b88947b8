import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus, LiveSamples } from '../shared/contract';
import { Quality } from '../shared/samples';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { demoConfig } from '../sim/demo-config';
import { tempDir, waitFor } from '../testing/helpers';
import { Engine, type ClientSession } from './engine';
import { recordingClient } from '../testing/engine-client';


describe('engine with the demo line over Modbus TCP', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    engine = undefined;
    line = undefined;
  });

  it('streams live samples, records a gap when the PLC goes away, and resumes by itself', async () => {
    line = await startDemoLine({ seed: 7 });
    const port = line.modbus.port;
    const workspace = await tempDir();
    engine = await Engine.start({ workspace, mode: 'node' });
    const rec = recordingClient();
    const session: ClientSession = engine.connect(rec.client);
    const saved = await session.call('config.save', { config: demoConfig('127.0.0.1', port) });
    expect(saved.ok).toBe(true);

    const sub = await session.call('live.subscribe', { signals: ['Line Speed', 'Entry Tension'], maxRate: 30 });
    expect(sub.ok).toBe(true);
    await waitFor(() => rec.samples.length >= 3, 'live samples');
    const first = rec.samples[0] as LiveSamples;
    expect(first.ts).toBeInstanceOf(Float64Array);
    expect(first.quality.every((q) => q === Quality.good)).toBe(true);
    // Line speed is served as uint16 × 0.1: the engineering value must match the model within a step.
    const speeds = rec.samples.flatMap((b) => Array.from(b.value.filter((_, i) => b.signal[i] === 0)));
    expect(Math.max(...speeds)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...speeds)).toBeLessThan(1000);

    await line.stop();
    line = undefined;
    const down = await waitFor(() => rec.states.find((s) => s.state === 'disconnected'), 'disconnected state');
    expect(down.lastError).toMatch(/closed|ECONNRESET|ECONNREFUSED|timed? ?out/i);
    await waitFor(() => rec.samples.some((b) => Array.from(b.quality).some((q) => q === Quality.bad)), 'a gap marker');
    const gap = rec.samples.find((b) => b.quality.includes(Quality.bad)) as LiveSamples;
    expect(Number.isNaN(gap.value[gap.quality.indexOf(Quality.bad)])).toBe(true);

    const countBefore = rec.samples.length;
    line = await startDemoLine({ seed: 7, modbusPort: port });
    await waitFor(() => rec.states.at(-1)?.state === 'connected' && rec.samples.length > countBefore + 2, 'reconnect and fresh samples', 20_000);
    const status = await session.call('connections.list', {});
    expect(status.ok && (status.value as ConnectionStatus[])[0]?.reconnects).toBeGreaterThanOrEqual(1);
  }, 40_000);

  it('hot reload: adding a signal keeps the session and the unchanged signals flowing without a gap', async () => {
    line = await startDemoLine({ seed: 4 });
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const rec = recordingClient();
    const session = engine.connect(rec.client);
    const config = demoConfig('127.0.0.1', line.modbus.port);
    await session.call('config.save', { config });
    await session.call('live.subscribe', { signals: ['Line Speed'], maxRate: 30 });
    await waitFor(() => rec.samples.length >= 5, 'samples before the reload');
    const added = { ...config, signals: [...config.signals, { name: 'Speed (float)', unit: 'm/min', description: '', connection: 'Demo Line', address: 'hr:10:float32:abcd', scale: 1, offset: 0, timebaseMs: 500 }] };
    const saved = await session.call('config.save', { config: added });
    expect(saved.ok).toBe(true);
    const before = rec.samples.length;
    await waitFor(() => rec.samples.length >= before + 10, 'samples after the reload');
    const ts = rec.samples.flatMap((b) => Array.from(b.ts));
    const gaps = ts.slice(1).map((t, i) => t - (ts[i] as number));
    expect(Math.max(...gaps)).toBeLessThan(250); // 20 ms timebase: no reconnect-sized hole
    expect(rec.samples.every((b) => b.quality.every((q) => q === Quality.good))).toBe(true);
    const status = await session.call('connections.list', {});
    expect(status.ok && (status.value as ConnectionStatus[])[0]?.reconnects).toBe(0);
    expect(rec.states.filter((s) => s.state === 'connecting').length).toBe(1);
  });

  it('tests a connection before it is saved: values, or the exact error', async () => {
    line = await startDemoLine({ seed: 2 });
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const session = engine.connect(recordingClient().client);
    const connection = { name: 'Try', protocol: 'modbus', host: '127.0.0.1', port: line.modbus.port };
    const good = await session.call('connections.test', { connection, signals: ['hr:2:uint32', 'hr:99999'] });
    expect(good).toMatchObject({ ok: true, value: { ok: true, error: null, values: [{ signal: 'hr:2:uint32', value: 250001, quality: 'good' }, { quality: 'bad', error: expect.stringMatching(/65535/) }] } });
    const refused = await session.call('connections.test', { connection: { ...connection, port: 1 }, signals: ['hr:0'], timeoutMs: 2000 });
    expect(refused).toMatchObject({ ok: true, value: { ok: false, error: expect.stringMatching(/ECONNREFUSED/) } });
    const invalid = await session.call('connections.test', { connection: { ...connection, port: 0 } });
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'invalid-request', path: 'connection.port' } });
  });

  it('answers bad requests with located errors and keeps serving', async () => {
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const session = engine.connect(recordingClient().client);
    const unknown = await session.call('no.such.method', {});
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'unknown-method' } });
    const bad = await session.call('live.subscribe', { signals: 'Line Speed' });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid-request', path: 'signals' } });
    const tooFast = await session.call('live.subscribe', { signals: ['x'], maxRate: 1000 });
    expect(tooFast).toMatchObject({ ok: false, error: { kind: 'invalid-request', path: 'maxRate' } });
    const missing = await session.call('live.subscribe', { signals: ['Nope'] });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    const info = await session.call('engine.info', {});
    expect(info.ok).toBe(true);
  });
});
