/**
 * The InfluxDB output against a real InfluxDB 1.x (Debian's influxd, started here on free
 * ports): every journal sample of the published signals arrives once with its exact value
 * and quality, through a server crash, an output restart, a missing database and points the
 * server refuses.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SampleJournal } from '../buffer/journal';
import type { InfluxOutputConfig, SignalInfo } from '../shared/contract';
import { InfluxOutputSchema, WorkspaceConfigSchema } from '../shared/contract';
import type { SampleBatch } from '../shared/samples';
import { startInfluxd, type Influxd } from '../testing/influxd';
import { tempDir, waitFor } from '../testing/helpers';
import { InfluxOutput, writeUrl } from './influx-output';

const SIGNALS: SignalInfo[] = [
  { id: 0, name: 'Exit Tension', unit: 'kN', description: '', connection: 'PLC', address: 'hr:0', timebaseMs: 10 },
  { id: 1, name: 'Zone 1, top=°C', unit: '°C', description: '', connection: 'PLC', address: 'hr:2', timebaseMs: 10 },
  { id: 2, name: 'Coil ID', unit: '', description: '', connection: 'PLC', address: 'hr:4', timebaseMs: 10 },
  { id: 3, name: 'Not published', unit: '', description: '', connection: 'PLC', address: 'hr:6', timebaseMs: 10 },
];
const T0 = Date.UTC(2026, 10, 27, 6, 0, 0);

/** `n` rows per signal from row `from`: values with long fractions, some NaN and bad quality. */
function rows(from: number, n: number): SampleBatch {
  const len = n * SIGNALS.length;
  const b = { signal: new Uint32Array(len), ts: new Float64Array(len), value: new Float64Array(len), quality: new Uint8Array(len) };
  for (let r = 0; r < n; r++)
    for (let s = 0; s < SIGNALS.length; s++) {
      const i = r * SIGNALS.length + s;
      const k = from + r;
      b.signal[i] = s;
      b.ts[i] = T0 + k * 10 + 0.25;
      b.value[i] = k % 97 === 5 ? NaN : Math.sin(k / 13 + s) * 1000 + 1 / 3;
      b.quality[i] = k % 97 === 5 ? 3 : k % 50 === 0 ? 1 : 0;
    }
  return b;
}

const expected = (k: number, s: number): number | null => (k % 97 === 5 ? null : Math.sin(k / 13 + s) * 1000 + 1 / 3);

let server: Influxd | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await server?.stop();
  server = undefined;
});

async function setup(config: Partial<InfluxOutputConfig> = {}) {
  server = await startInfluxd();
  const workspace = await tempDir('parx-influx-');
  const journal = await SampleJournal.open(path.join(workspace, 'buffer'), { flushIntervalMs: 20 });
  cleanups.push(() => journal.close());
  const logs: string[] = [];
  const cfg = InfluxOutputSchema.parse({ url: server.url, database: 'plant', signals: ['Exit Tension', 'Zone 1, top=°C', 'Coil ID'], ...config });
  const deps = { journal, workspace, signals: () => SIGNALS, line: () => 'Line 1', log: (_l: string, m: string) => void logs.push(m) };
  const start = async (): Promise<InfluxOutput> => {
    const out = await InfluxOutput.start(deps, cfg);
    cleanups.push(() => out.stop());
    return out;
  };
  return { server, journal, logs, start, cfg };
}

async function countPerSignal(s: Influxd): Promise<Record<string, number>> {
  const series = await s.query('SELECT count(q) FROM parx GROUP BY signal', 'plant');
  return Object.fromEntries(series.map((x) => [x.tags?.['signal'] ?? '', x.values[0]?.[1] as number]));
}

describe('InfluxDB output (real influxd)', () => {
  it('publishes every sample of the chosen signals with exact values, quality and tags, and nothing else', async () => {
    const { server: s, journal, start } = await setup();
    await s.query('CREATE DATABASE plant');
    const out = await start();
    journal.append(rows(0, 3000));
    journal.append(rows(3000, 4000)); // 16,000 samples: more than one write of 5,000 lines
    await waitFor(() => out.status().points >= 21_000, 'all points sent', 30_000);
    expect(await countPerSignal(s)).toEqual({ 'Exit Tension': 7000, 'Zone 1, top=°C': 7000, 'Coil ID': 7000 });
    const zone = await s.query(`SELECT value, q, unit, line FROM parx WHERE signal = 'Zone 1, top=°C' ORDER BY time`, 'plant');
    const values = zone[0]!.values;
    expect(values).toHaveLength(7000);
    for (const k of [0, 5, 50, 101, 6999]) {
      const [time, value, q, unit, line] = values[k]!;
      expect(time).toBe((T0 + k * 10) * 1000 + 250);
      expect(value).toBe(expected(k, 1));
      expect(q).toBe(k % 97 === 5 ? 3 : k % 50 === 0 ? 1 : 0);
      expect([unit, line]).toEqual(['°C', 'Line 1']);
    }
    expect(out.status()).toMatchObject({ state: 'sending', rejected: 0, lastError: null, sentUpTo: T0 + 6999 * 10 + 0.25 });
  });

  it('rides out a server crash and an output restart: the journal holds the samples, nothing is lost or doubled', async () => {
    const { server: s, journal, start, logs } = await setup();
    await s.query('CREATE DATABASE plant');
    let out = await start();
    journal.append(rows(0, 1000));
    await waitFor(() => out.status().points >= 3000, 'first points', 20_000);
    await s.stop();
    journal.append(rows(1000, 1000));
    await waitFor(() => out.status().state === 'retrying', 'the output to notice the server is gone', 20_000);
    expect(out.status().lastError).toMatch(/does not answer/);
    await s.restart();
    await waitFor(() => out.status().points >= 6000 && out.status().state === 'sending', 'catching up after the restart', 60_000);
    expect(logs.join('\n')).toMatch(/takes points again/);
    // The output stops; samples arrive meanwhile; a new output resumes from the saved cursor.
    await out.stop();
    journal.append(rows(2000, 500));
    out = await start();
    for (let until = Date.now() + 20_000; (await countPerSignal(s))['Coil ID'] !== 2500 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    expect(await countPerSignal(s)).toEqual({ 'Exit Tension': 2500, 'Zone 1, top=°C': 2500, 'Coil ID': 2500 });
  });

  it('waits for a missing database, and skips points the server refuses with a logged reason', { timeout: 90_000 }, async () => {
    const { server: s, journal, start, logs } = await setup();
    const out = await start();
    journal.append(rows(0, 100));
    await waitFor(() => out.status().state === 'retrying', 'retrying without a database', 20_000);
    expect(out.status().lastError).toMatch(/HTTP 404: database not found: "plant"/);
    await s.query('CREATE DATABASE plant');
    await waitFor(() => out.status().points >= 300, 'the points once the database exists', 60_000);
    // `value` already holds strings for Coil ID in the next shard: those writes are refused (400), the rest go on.
    await fetch(`${s.url}/write?db=plant&precision=u`, { method: 'POST', body: `parx,line=Line\\ 1,signal=Coil\\ ID value="text" ${(T0 + 10 * 86_400_000) * 1000}` });
    const far = rows(0, 10);
    far.ts.forEach((t, i) => (far.ts[i] = t + 10 * 86_400_000));
    journal.append(far);
    journal.append(rows(100, 100));
    await waitFor(() => out.status().rejected > 0 && out.status().points >= 603, 'the refused write skipped and the next sent', 30_000);
    // A partial write: the 27 float values in the conflicting shard are dropped (10 rows, one NaN row carries no value), the rest kept.
    expect(out.status().rejected).toBe(27);
    expect(logs.join('\n')).toMatch(/27 of \d+ points refused and skipped: .*HTTP 400: partial write: field type conflict/);
    expect((await countPerSignal(s))['Exit Tension']).toBe(201);
  });

  it('builds the 1.x and 2.x write addresses, and validates the configuration with located errors', () => {
    expect(writeUrl(InfluxOutputSchema.parse({ url: 'http://h:8086/', database: 'a b', retentionPolicy: 'week' }))).toBe('http://h:8086/write?db=a+b&rp=week&precision=u');
    expect(writeUrl(InfluxOutputSchema.parse({ url: 'https://h', bucket: 'line', org: 'plant', token: 't' }))).toBe('https://h/api/v2/write?org=plant&bucket=line&precision=us');
    const problems = (over: object): string[] => {
      const r = WorkspaceConfigSchema.safeParse({ version: 1, outputs: { influx: { url: 'http://h:8086', ...over } } });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(problems({})).toEqual(['outputs.influx.database: give a database (InfluxDB 1.x) or a bucket and org (2.x)']);
    expect(problems({ bucket: 'b' })).toEqual(['outputs.influx.org: a bucket (InfluxDB 2.x) needs its org']);
    expect(problems({ database: 'd', signals: ['Nope'] })).toEqual(['outputs.influx.signals.0: no signal named "Nope"']);
    expect(problems({ database: 'd', url: 'historian:8086' })[0]).toMatch(/^outputs\.influx\.url: must be an http/);
  });
});
