/**
 * InfluxDB output throughput: journal → line protocol → a real influxd (Debian's 1.x, on this
 * machine), points/s until the server has them all. Baseline in the same run: the same points,
 * encoded beforehand, POSTed in the same 5,000-line requests with bare fetch — what the server
 * and HTTP take on their own. Rounds alternate baseline and ParX and keep the best of each;
 * each round writes to a fresh database so neither gains from the other's series index.
 */
import path from 'node:path';
import { SampleJournal } from '../app/buffer/journal';
import type { SignalInfo } from '../app/shared/contract';
import { InfluxOutputSchema } from '../app/shared/contract';
import { tempDir } from '../app/testing/helpers';
import { startInfluxd, type Influxd } from '../app/testing/influxd';
import { appendLines, seriesKey } from '../app/outputs/influx-line';
import { InfluxOutput } from '../app/outputs/influx-output';
import type { SampleBatch } from '../app/shared/samples';

type Emit = (row: Record<string, unknown>) => void;

const SIGNALS = 100;
const ROWS = Number(process.env.PARX_BENCH_INFLUX_ROWS ?? 3000);
const ROUNDS = 3;
const T0 = Date.UTC(2026, 10, 27);

const signals: SignalInfo[] = Array.from({ length: SIGNALS }, (_, i) => ({ id: i, name: `Signal ${i}`, unit: 'kN', description: '', connection: 'PLC', address: `hr:${i}`, timebaseMs: 10 }));

/** Rows of all signals every 10 ms, in journal-sized batches of 100 rows. */
function batches(): SampleBatch[] {
  const out: SampleBatch[] = [];
  for (let r0 = 0; r0 < ROWS; r0 += 100) {
    const n = Math.min(100, ROWS - r0) * SIGNALS;
    const b = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
    for (let k = 0; k < n; k++) {
      const r = r0 + Math.floor(k / SIGNALS);
      b.signal[k] = k % SIGNALS;
      b.ts[k] = T0 + r * 10;
      b.value[k] = Math.sin(r / 50 + k) * 100;
    }
    out.push(b);
  }
  return out;
}

async function count(server: Influxd, db: string): Promise<number> {
  const s = await server.query('SELECT count(value) FROM parx', db);
  return Number(s[0]?.values[0]?.[1] ?? 0);
}

async function baseline(server: Influxd, db: string, data: readonly SampleBatch[]): Promise<number> {
  const keys = new Map(signals.map((s) => [s.id, seriesKey('parx', { signal: s.name, unit: s.unit })]));
  const chunks: string[] = [];
  let lines: string[] = [];
  for (const b of data)
    for (let i = 0; i < b.ts.length; ) {
      i = appendLines(b, keys, lines, 5000, i);
      if (lines.length === 5000) {
        chunks.push(lines.join('\n'));
        lines = [];
      }
    }
  if (lines.length) chunks.push(lines.join('\n'));
  const t = performance.now();
  for (const body of chunks) {
    const r = await fetch(`${server.url}/write?db=${db}&precision=u`, { method: 'POST', body });
    if (r.status !== 204) throw new Error(`baseline write: HTTP ${r.status} ${await r.text()}`);
  }
  return performance.now() - t;
}

async function parx(server: Influxd, db: string, data: readonly SampleBatch[]): Promise<number> {
  const workspace = await tempDir('parx-bench-influx-');
  const journal = await SampleJournal.open(path.join(workspace, 'buffer'), { flushIntervalMs: 50 });
  const out = await InfluxOutput.start({ journal, workspace, signals: () => signals, line: () => undefined, log: () => undefined }, InfluxOutputSchema.parse({ url: server.url, database: db }));
  const total = data.reduce((a, b) => a + b.ts.length, 0);
  const t = performance.now();
  for (const b of data) journal.append(b);
  while (out.status().points < total) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t;
  await out.stop();
  await journal.close();
  return ms;
}

export default async function run(emit: Emit): Promise<void> {
  const server = await startInfluxd();
  try {
    const data = batches();
    const points = data.reduce((a, b) => a + b.ts.length, 0);
    let best = { parx: Infinity, base: Infinity };
    for (let round = 0; round < ROUNDS; round++) {
      for (const who of ['base', 'parx'] as const) {
        const db = `bench_${who}_${round}`;
        await server.query(`CREATE DATABASE ${db}`);
        const ms = who === 'base' ? await baseline(server, db, data) : await parx(server, db, data);
        const got = await count(server, db);
        if (got !== points) throw new Error(`${who} round ${round}: the server has ${got} of ${points} points`);
        best = { ...best, [who]: Math.min(best[who], ms) };
      }
    }
    emit({
      case: 'influx-output',
      signals: SIGNALS,
      points,
      pointsPerSec: Math.round(points / (best.parx / 1000)),
      baselineBareFetchPointsPerSec: Math.round(points / (best.base / 1000)),
      ratioToBaseline: Math.round((best.parx / best.base) * 100) / 100,
      note: 'journal → line protocol → influxd 1.x on this machine, until the server has every point; baseline: the same lines pre-encoded, POSTed with bare fetch',
    });
  } finally {
    await server.stop();
  }
}
