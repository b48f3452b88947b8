/** The OPC UA driver against the demo line's real node-opcua server on 127.0.0.1. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probe, browse } from '../../collector/probe';
import { StripLine } from '../../sim/line-model';
import { ARRAY_SAMPLE, TYPE_SAMPLES, lineNodeId, serveOpcUa, type OpcUaSimServer } from '../../sim/opcua-server';
import { DEMO_SIGNALS } from '../../sim/demo-signals';
import { tempDir, waitFor } from '../../testing/helpers';
import type { PushedSample } from '../driver';
import { opcuaDriver } from './opcua-driver';
import type { OpcUaAddress } from './address';

const USERS = [{ username: 'operator', password: 'coil-250001' }];
let server: OpcUaSimServer;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  // The client's certificate and trust list go to a temporary folder, never the user's workspace.
  process.env.PARX_PKI_DIR = await tempDir('parx-opcua-pki-');
  const line = new StripLine({ seed: 3, startMs: Date.now() });
  server = await serveOpcUa(() => line.step(Date.now()), { users: USERS, pkiDir: await tempDir('parx-opcua-sim-') });
});
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close().catch(() => undefined);
});
afterAll(async () => {
  await server.close();
});

function address(text: string): OpcUaAddress {
  const r = opcuaDriver.parseAddress(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function session(query = '') {
  const c = opcuaDriver.connectionFromUrl(`${server.endpointUrl}${query}`);
  if (!c.ok) throw new Error(c.error.message);
  const s = opcuaDriver.open(c.value);
  opened.push(s);
  const drops: string[] = [];
  s.onDrop((r) => drops.push(r));
  await s.connect();
  return { s, drops };
}

describe('OPC UA driver against the demo line server', () => {
  it('reads one value of every scalar type and an array element (probe)', async () => {
    const nodes = [...TYPE_SAMPLES.map((t) => `ns=1;s=Types.${t.name}`), 'ns=1;s=Types.DoubleArray[3]', 'ns=1;s=Types.DoubleArray', 'ns=1;s=Types.DoubleArray[10]', 'ns=1;s=Nope', 'i=2258'];
    const r = await probe(server.endpointUrl, nodes, 8000);
    if (!r.ok) throw new Error(r.error.message);
    const by = new Map(r.value.map((v) => [v.signal, v]));
    for (const t of TYPE_SAMPLES) {
      const v = by.get(`ns=1;s=Types.${t.name}`);
      if (t.expected === 'not numeric') {
        expect(v).toMatchObject({ quality: 'bad', value: null });
        continue;
      }
      expect(v, t.name).toMatchObject({ quality: 'good' });
      if (t.name === 'Float' || t.name === 'Double') expect(v?.value).toBeCloseTo(t.expected as number, 6);
      else expect(v?.value, t.name).toBe(t.expected);
    }
    expect(by.get('ns=1;s=Types.DoubleArray[3]')).toMatchObject({ quality: 'good', value: ARRAY_SAMPLE[3] });
    for (const bad of ['ns=1;s=Types.DoubleArray', 'ns=1;s=Types.DoubleArray[10]', 'ns=1;s=Nope']) expect(by.get(bad)).toMatchObject({ quality: 'bad', value: null });
    expect(Math.abs((by.get('i=2258')?.value ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('says why a value is bad: not numeric, no such node, array without index', async () => {
    const { s } = await session();
    const errors: string[] = [];
    const samples: PushedSample[] = [];
    const texts = ['ns=1;s=Types.String', 'ns=1;s=Nope', 'ns=1;s=Types.DoubleArray', 'ns=1;s=Types.DoubleArray[10]'];
    opened.push(await s.subscribe!(texts.map(address), 100, { samples: (l) => samples.push(...l), error: (m) => errors.push(m) }));
    await waitFor(() => new Set(samples.map((x) => x.index)).size === texts.length, 'a sample for every item');
    expect(samples.every((x) => x.quality === 3 && Number.isNaN(x.value))).toBe(true);
    const all = errors.join('\n');
    expect(all).toMatch(/Types\.String: not numeric: String/);
    expect(all).toMatch(/Nope: BadNodeIdUnknown/);
    expect(all).toMatch(/Types\.DoubleArray: is an array of 10 Double; add an index/);
    expect(all).toMatch(/Types\.DoubleArray\[10\]: Bad/);
  });

  it('pushes changing line values with their source timestamps', async () => {
    const { s } = await session();
    const samples: PushedSample[] = [];
    const names = DEMO_SIGNALS.map((d) => d.name);
    const started = Date.now();
    opened.push(await s.subscribe!(names.map((n) => address(lineNodeId(n))), 100, { samples: (l) => samples.push(...l), error: () => undefined }));
    await waitFor(() => new Set(samples.filter((x) => x.index === 0).map((x) => x.value)).size >= 5, 'five different line speeds', 15_000);
    const speed = samples.filter((x) => x.index === 0);
    expect(speed.every((x) => x.quality === 0)).toBe(true);
    // Source timestamps come from the line model's clock, step by step, not from arrival.
    const ts = speed.map((x) => x.ts);
    expect(ts.every((t, i) => i === 0 || t > (ts[i - 1] as number))).toBe(true);
    expect(ts.at(-1) as number).toBeGreaterThan(started - 1000);
    expect(ts.at(-1) as number).toBeLessThanOrEqual(Date.now());
    expect(new Set(samples.map((x) => x.index)).size).toBe(names.length);
  });

  it('browses PLC → Line → variables with type and access', async () => {
    const top = await browse(server.endpointUrl, null);
    if (!top.ok) throw new Error(top.error.message);
    expect(top.value).toContainEqual(expect.objectContaining({ id: 'ns=1;s=PLC', name: 'PLC', kind: 'folder', hasChildren: true }));
    const plc = await browse(server.endpointUrl, 'ns=1;s=PLC');
    if (!plc.ok) throw new Error(plc.error.message);
    expect(plc.value.map((i) => i.name)).toEqual(expect.arrayContaining(['Line', 'Types']));
    expect(plc.value.find((i) => i.name === 'Line')).toMatchObject({ kind: 'object', hasChildren: true });
    const line = await browse(server.endpointUrl, 'ns=1;s=Line');
    if (!line.ok) throw new Error(line.error.message);
    expect(line.value).toHaveLength(DEMO_SIGNALS.length);
    expect(line.value[0]).toMatchObject({ id: 'ns=1;s=Line.LineSpeed', name: 'LineSpeed', kind: 'variable', dataType: 'Double', access: expect.stringMatching(/read/) });
    expect(line.value[0]?.description).toMatch(/Strip speed/);
    const types = await browse(server.endpointUrl, 'ns=1;s=Types');
    if (!types.ok) throw new Error(types.error.message);
    expect(types.value.find((i) => i.name === 'DoubleArray')).toMatchObject({ dataType: 'Double[10]' });
    const wrong = await browse(server.endpointUrl, 'not a node');
    expect(wrong).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not an OPC UA NodeId/) } });
  });

  it('logs in with user and password, and says so clearly when the password is wrong', async () => {
    const good = await probe(`${server.endpointUrl}?user=operator&password=coil-250001`, ['ns=1;s=Types.Int32'], 8000);
    expect(good).toMatchObject({ ok: true, value: [{ quality: 'good', value: -2_000_000_000 }] });
    const bad = await probe(`${server.endpointUrl}?user=operator&password=wrong`, ['ns=1;s=Types.Int32'], 8000);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'connection', message: expect.stringMatching(/login as "operator" refused by the server \(Bad\w+\): check user name and password/) } });
  });

  it('connects over a signed and encrypted channel (Basic256Sha256), trusting the server on first use (trust=auto)', async () => {
    const { s } = await session('?security=SignAndEncrypt&policy=Basic256Sha256&user=operator&password=coil-250001&trust=auto');
    const samples: PushedSample[] = [];
    opened.push(await s.subscribe!([address('ns=1;s=Types.Double')], 100, { samples: (l) => samples.push(...l), error: () => undefined }));
    await waitFor(() => samples.length > 0, 'a value over SignAndEncrypt');
    expect(samples[0]?.value).toBeCloseTo(Math.PI, 10);
  });

  it('refuses a connection to a port where nothing listens with a clear message, without crashing', async () => {
    const r = await probe('opc.tcp://127.0.0.1:1/none', ['i=2258'], 8000);
    expect(r).toMatchObject({ ok: false, error: { kind: 'connection', message: expect.stringMatching(/ECONNREFUSED|refused/) } });
  });
});
