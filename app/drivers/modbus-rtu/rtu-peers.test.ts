/**
 * Modbus RTU against a device ParX did not write: Debian's pymodbus serving RTU on one end of
 * a socat virtual serial cable, ParX on the other. Values are packed by Python's struct.
 */
import { execFile, execSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../collector/probe';
import { Engine, type ClientSession } from '../../engine/engine';
import { CONFIG_VERSION, type ConnectionStatus, type WorkspaceConfig } from '../../shared/contract';
import { Quality } from '../../shared/samples';
import { recordingClient } from '../../testing/engine-client';
import { tempDir, waitFor } from '../../testing/helpers';
import { serialTestsUnavailable, startPymodbusRtu, startSerialCable, type SerialCable, type SerialDevice } from './serial-peer';

const unavailable = serialTestsUnavailable();
if (unavailable) console.warn(`Modbus RTU peer tests skipped: ${unavailable}`);

const BIN = fileURLToPath(new URL('../../../bin/parx.mjs', import.meta.url));
const run = promisify(execFile);

const VALUES = [
  { area: 'hr', offset: 0, type: 'uint16', value: 51234 },
  { area: 'hr', offset: 1, type: 'int16', value: -1234 },
  { area: 'hr', offset: 2, type: 'int32', order: 'abcd', value: -123456789 },
  { area: 'hr', offset: 10, type: 'float32', order: 'abcd', value: 123.456 },
  { area: 'hr', offset: 12, type: 'float32', order: 'cdab', value: -7.25 },
  { area: 'hr', offset: 14, type: 'float32', order: 'badc', value: -0.015625 },
  { area: 'hr', offset: 16, type: 'float32', order: 'dcba', value: 98765.5 },
  { area: 'hr', offset: 20, type: 'float64', order: 'cdab', value: Math.E },
  { area: 'ir', offset: 3, type: 'int16', value: -7 },
];
const SEED = { values: VALUES, co: { '2': 1 }, di: { '1': 1 } };
const ADDRESSES = ['hr:0:uint16', 'hr:1:int16', 'hr:2:int32:abcd', 'hr:10:float32:abcd', 'hr:12:float32:cdab', 'hr:14:float32:badc', 'hr:16:float32:dcba', 'hr:20:float64:cdab', 'ir:3:int16', 'co:2', 'co:3', 'di:1'];

function expectSeeded(values: (number | null)[]): void {
  expect(values.slice(0, 3)).toEqual([51234, -1234, -123456789]);
  expect(values[3]).toBeCloseTo(123.456, 3);
  expect(values.slice(4, 7)).toEqual([-7.25, -0.015625, 98765.5]);
  expect(values[7]).toBe(Math.E);
  expect(values.slice(8)).toEqual([-7, 1, 0, 1]);
}

describe.skipIf(unavailable !== null)('ParX reads pymodbus over a serial line (Modbus RTU)', () => {
  let cable: SerialCable | undefined;
  let device: SerialDevice | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    // Peers first and whatever happens: an orphaned socat or pymodbus would outlive the run.
    await Promise.allSettled([device?.stop(), cable?.stop()]);
    await engine?.stop();
    engine = undefined;
    device = undefined;
    cable = undefined;
  });

  it('decodes every type and all four float32 orders as Python packed them, and only its unit answers', async () => {
    cable = await startSerialCable(await tempDir('parx-rtu-'));
    device = await startPymodbusRtu(cable.device, 7, SEED);
    const url = `modbus-rtu://${cable.host}?baud=19200&parity=even&unit=7&timeout=500`;
    const r = await probe(url, ADDRESSES);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.filter((x) => x.quality !== 'good')).toEqual([]);
    expectSeeded(r.value.map((x) => x.value));

    // Another unit on the bus stays silent: the read times out and says so.
    const other = await probe(`modbus-rtu://${cable.host}?unit=8&timeout=300`, ['hr:0']);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error.message).toMatch(/did not answer within 300 ms/);
  }, 60_000);

  it('`parx probe` with a modbus-rtu URL prints one JSON line per signal', async () => {
    cable = await startSerialCable(await tempDir('parx-rtu-'));
    device = await startPymodbusRtu(cable.device, 1, SEED);
    const { stdout } = await run(process.execPath, [BIN, 'probe', `modbus-rtu://${cable.host}?baud=19200&parity=even&unit=1`, ...ADDRESSES, '--json', '--timeout', '5']);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { signal: string; value: number | null; quality: string; ts: string });
    expect(lines.map((l) => l.signal)).toEqual(ADDRESSES);
    expect(lines.every((l) => l.quality === 'good' && Number.isFinite(Date.parse(l.ts)))).toBe(true);
    expectSeeded(lines.map((l) => l.value));
  }, 60_000);

  async function collectFromDevice() {
    cable = await startSerialCable(await tempDir('parx-rtu-'));
    device = await startPymodbusRtu(cable.device, 1, SEED);
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const rec = recordingClient();
    const session: ClientSession = engine.connect(rec.client);
    const config: WorkspaceConfig = {
      version: CONFIG_VERSION,
      connections: [{ name: 'Drive', protocol: 'modbus-rtu', path: cable.host, baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1, unitId: 1, timeoutMs: 300, enabled: true }],
      signals: [
        { name: 'Speed', unit: 'm/min', description: '', connection: 'Drive', address: 'hr:16:float32:dcba', scale: 1, offset: 0, timebaseMs: 100 },
        { name: 'Count', unit: '', description: '', connection: 'Drive', address: 'hr:0:uint16', scale: 1, offset: 0, timebaseMs: 30 },
      ],
    };
    expect((await session.call('config.save', { config })).ok).toBe(true);
    expect((await session.call('live.subscribe', { signals: ['Speed', 'Count'], maxRate: 30 })).ok).toBe(true);
    const goodSince = (from: number) => rec.samples.slice(from).some((b) => b.quality.some((q, i) => q === Quality.good && b.value[i] === 98765.5));
    await waitFor(() => goodSince(0), 'good samples over the serial line', 15_000);
    return { rec, session, goodSince, cable };
  }

  it('a device that stops answering: disconnected with the reason, a gap, and back when it returns', async () => {
    const { rec, session, goodSince, cable } = await collectFromDevice();
    if (!device) throw new Error('no device');
    // Two timebases share the one serial line: their reads must take turns, or replies cross.
    await waitFor(() => rec.samples.filter((b) => b.value.includes(51234)).length >= 20, 'the 30 ms group running beside the 100 ms one', 15_000);
    expect(rec.states.filter((s) => s.state === 'disconnected')).toEqual([]);
    expect(rec.samples.every((b) => b.quality.every((q) => q === Quality.good))).toBe(true);

    await device.stop();
    const down = await waitFor(() => rec.states.find((s) => s.state === 'disconnected'), 'disconnected', 15_000);
    expect(down.lastError).toMatch(/did not answer within 300 ms/);
    await waitFor(() => rec.samples.some((b) => b.quality.includes(Quality.bad)), 'a gap marker');

    device = await startPymodbusRtu(cable.device, 1, SEED);
    const before = rec.samples.length;
    await waitFor(() => rec.states.at(-1)?.state === 'connected' && goodSince(before), 'good samples after the device returned', 30_000);
    const status = await session.call('connections.list', {});
    expect(status.ok && (status.value as ConnectionStatus[])[0]?.reconnects).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('memory and helper processes stay bounded over repeated kill/return cycles', async () => {
    const { rec, goodSince, cable } = await collectFromDevice();
    const helpers = (): number => {
      // The serial helpers are children of this process (the collector worker is a thread of it).
      const out = execSync(`ps -o args= --ppid ${process.pid}`, { encoding: 'utf8' });
      return out.split('\n').filter((l) => l.includes('serial-child.mjs')).length;
    };
    const cycle = async (): Promise<void> => {
      const downs = rec.states.filter((s) => s.state === 'disconnected').length;
      await device?.stop();
      await waitFor(() => rec.states.filter((s) => s.state === 'disconnected').length > downs, 'disconnected', 15_000);
      device = await startPymodbusRtu(cable.device, 1, SEED);
      const from = rec.samples.length;
      await waitFor(() => rec.states.at(-1)?.state === 'connected' && goodSince(from), 'good samples again', 30_000);
    };
    await cycle(); // warm-up: first reconnect loads what later ones reuse
    rec.samples.length = 0;
    const rssBefore = process.memoryUsage().rss;
    const CYCLES = 4;
    for (let i = 0; i < CYCLES; i++) {
      await cycle();
      rec.samples.length = 0; // the recorder of this test holds samples, not ParX
      expect(helpers()).toBe(1);
    }
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    console.log(`RSS after ${CYCLES} kill/return cycles: ${grownMb >= 0 ? '+' : ''}${grownMb.toFixed(1)} MB`);
    expect(grownMb).toBeLessThan(40);
  }, 180_000);

  it('the serial adapter unplugged (the port vanishes): disconnected, retried, back when it is plugged in again', async () => {
    const { rec, goodSince, cable: first } = await collectFromDevice();
    // Unplug: the device and the cable go; the port ParX opened disappears under it.
    await device?.stop();
    await cable?.stop();
    const down = await waitFor(() => rec.states.find((s) => s.state === 'disconnected'), 'disconnected', 15_000);
    // Which of these comes first depends on whether a request was on the line when the port went
    // (a write at that very moment gets the operating system's EIO, named with the port).
    expect(down.lastError).toMatch(/did not answer|was closed|closed under a request|the device closed the connection|EIO: i\/o error/);
    console.log(`unplugged: ${down.lastError}`);
    // While unplugged, reopening fails with the operating system's reason, and the engine keeps trying.
    await waitFor(() => rec.states.some((s) => s.state === 'disconnected' && /cannot open .*(ENOENT|No such file)/i.test(s.lastError ?? '')), 'a refused reopen', 20_000);
    // Plugged in again: the same device path comes back.
    cable = await startSerialCable(path.dirname(first.host));
    device = await startPymodbusRtu(cable.device, 1, SEED);
    const from = rec.samples.length;
    await waitFor(() => rec.states.at(-1)?.state === 'connected' && goodSince(from), 'good samples after replugging', 30_000);
  }, 90_000);
});
