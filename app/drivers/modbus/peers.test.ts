/**
 * The Modbus driver against peers ParX did not write: a pymodbus server (Debian
 * python3-pymodbus) seeded by Python's struct, and Debian's mbpoll reading our simulator.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../collector/probe';
import { startDemoLine, type DemoLine } from '../../sim/demo-line';
import { freePort } from '../../sim/modbus-server';
import { waitFor } from '../../testing/helpers';

const PYTHON = '/usr/bin/python3';
const SERVER = new URL('./peers/pymodbus_server.py', import.meta.url).pathname;
const run = promisify(execFile);

function requireTool(path: string, debianPackage: string): void {
  if (!fs.existsSync(path)) throw new Error(`${path} is missing: install the Debian package ${debianPackage} (.ci/run does)`);
}

async function startPymodbus(port: number, seed: unknown): Promise<ChildProcess> {
  requireTool(PYTHON, 'python3');
  const check = await run(PYTHON, ['-c', 'import pymodbus']).catch((e: Error) => e);
  if (check instanceof Error) throw new Error('python3-pymodbus is missing: install the Debian packages python3-pymodbus and python3-serial-asyncio');
  const proc = spawn(PYTHON, [SERVER, String(port), JSON.stringify(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes(`READY ${port}`) || proc.exitCode !== null, 'pymodbus server', 20_000);
  if (proc.exitCode !== null) throw new Error(`pymodbus server exited: ${out}`);
  return proc;
}

describe('ParX reads a pymodbus server', () => {
  let server: ChildProcess | undefined;
  afterEach(() => {
    server?.kill('SIGKILL');
  });

  it('decodes every type and all four byte orders as Python packed them', async () => {
    const port = await freePort();
    const values = [
      { area: 'hr', offset: 0, type: 'uint16', value: 51234 },
      { area: 'hr', offset: 1, type: 'int16', value: -1234 },
      { area: 'hr', offset: 2, type: 'int32', order: 'abcd', value: -123456789 },
      { area: 'hr', offset: 4, type: 'uint32', order: 'cdab', value: 3735928559 },
      { area: 'hr', offset: 10, type: 'float32', order: 'abcd', value: 123.456 },
      { area: 'hr', offset: 12, type: 'float32', order: 'cdab', value: 123.456 },
      { area: 'hr', offset: 14, type: 'float32', order: 'badc', value: -0.015625 },
      { area: 'hr', offset: 16, type: 'float32', order: 'dcba', value: 98765.5 },
      { area: 'hr', offset: 20, type: 'float64', order: 'abcd', value: Math.PI },
      { area: 'hr', offset: 24, type: 'float64', order: 'cdab', value: -2.5e10 },
      { area: 'ir', offset: 3, type: 'int16', value: -7 },
    ];
    server = await startPymodbus(port, { values, hr: { '30': 0b1000_0000_0000_0100 }, co: { '2': 1 }, di: { '1': 1 } });
    const r = await probe(`modbus://127.0.0.1:${port}?unit=1`, [
      'hr:0:uint16',
      'hr:1:int16',
      'hr:2:int32:abcd',
      'hr:4:uint32:cdab',
      'hr:10:float32:abcd',
      'hr:12:float32:cdab',
      'hr:14:float32:badc',
      'hr:16:float32:dcba',
      'hr:20:float64:abcd',
      'hr:24:float64:cdab',
      'ir:3:int16',
      'hr:30.2',
      'hr:30.15',
      'hr:30.3',
      'co:2',
      'di:1',
      'co:3',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value.map((x) => x.value);
    expect(r.value.every((x) => x.quality === 'good')).toBe(true);
    expect(v.slice(0, 4)).toEqual([51234, -1234, -123456789, 3735928559]);
    expect(v[4]).toBeCloseTo(123.456, 3);
    expect(v[5]).toBeCloseTo(123.456, 3);
    expect(v[6]).toBe(-0.015625);
    expect(v[7]).toBe(98765.5);
    expect(v[8]).toBe(Math.PI);
    expect(v[9]).toBe(-2.5e10);
    expect(v.slice(10)).toEqual([-7, 1, 1, 0, 1, 1, 0]);
  });

  it('an exception response spoils only its own request and names the exception', async () => {
    const port = await freePort();
    server = await startPymodbus(port, { hr: { '0': 7 } });
    // pymodbus holds 1000 registers: 5000 is an illegal data address there.
    const r = await probe(`modbus://127.0.0.1:${port}`, ['hr:0:uint16', 'hr:5000:uint16']);
    expect(r.ok && r.value[0]).toMatchObject({ value: 7, quality: 'good' });
    expect(r.ok && r.value[1]).toMatchObject({ quality: 'bad', error: expect.stringMatching(/exception 2 illegal data address/) });
  });
});

describe('mbpoll reads the ParX simulator and gets what the map promises', () => {
  let line: DemoLine | undefined;
  afterEach(async () => {
    await line?.stop();
  });

  async function mbpoll(port: number, args: string[]): Promise<number[]> {
    requireTool('/usr/bin/mbpoll', 'mbpoll');
    const { stdout } = await run('/usr/bin/mbpoll', ['-m', 'tcp', '-p', String(port), '-a', '1', '-1', '-0', ...args, '127.0.0.1']);
    return [...stdout.matchAll(/^\[\d+\]:\s+(-?[\d.]+)/gm)].map((m) => Number(m[1]));
  }

  it('float32 in both word orders, scaled integers, coils and discrete inputs', async () => {
    line = await startDemoLine({ seed: 3 });
    await new Promise((r) => setTimeout(r, 300));
    line.freeze();
    const s = line.latest();
    const port = line.modbus.port;
    // -0: 0-based references, as in our map; -B: big-endian word order (abcd) for 32-bit types.
    const [speedAbcd] = await mbpoll(port, ['-r', '10', '-c', '1', '-t', '4:float', '-B']);
    const [speedCdab] = await mbpoll(port, ['-r', '40', '-c', '1', '-t', '4:float']);
    const [speedRaw, thicknessRaw] = await mbpoll(port, ['-r', '0', '-c', '2', '-t', '4']);
    const [weld, high] = await mbpoll(port, ['-r', '0', '-c', '2', '-t', '0']);
    const [weldDi] = await mbpoll(port, ['-r', '0', '-c', '1', '-t', '1']);
    expect(speedAbcd).toBeCloseTo(s.lineSpeed, 2);
    expect(speedCdab).toBeCloseTo(s.lineSpeed, 2);
    expect((speedRaw as number) * 0.1).toBeCloseTo(s.lineSpeed, 0);
    // Read as plain 16-bit registers: undo two's complement ourselves, whatever mbpoll's display.
    const thickness = (thicknessRaw as number) > 32767 ? (thicknessRaw as number) - 65536 : (thicknessRaw as number);
    expect(thickness * 0.1).toBeCloseTo(s.thicknessDeviation, 0);
    expect(weld).toBe(s.weldSeam ? 1 : 0);
    expect(high).toBe(s.tensionHighAlarm ? 1 : 0);
    expect(weldDi).toBe(s.weldSeam ? 1 : 0);
  });
});
