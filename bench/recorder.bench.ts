/**
 * Recorder write path: 10M samples (100 signals) appended to a batch and closed into a ZSTD
 * batch file (sorted by signal then time, metadata), against a baseline in the same run:
 * DuckDB writing the same row count straight from range() to ZSTD Parquet — the floor for
 * "DuckDB writes a Parquet file", with no appending, sorting or naming.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDuckDB } from '../native/duckdb';
import { BatchWriter } from '../app/recorder/batch-writer';
import type { BatchDescriptor } from '../app/recorder/format';
import { tempDir } from '../app/testing/helpers';

type Emit = (row: Record<string, unknown>) => void;

const SAMPLES = Number(process.env.PARX_BENCH_SAMPLES ?? 10_000_000);
const SIGNALS = 100;
const PER_FEED = 10_000; // one collector batch of 100 signals × 100 polls
const T0 = Date.UTC(2026, 0, 1);

function descriptor(): BatchDescriptor {
  return {
    id: 'bench',
    line: 'Bench',
    coil: '1',
    start: T0,
    openedBy: 'bench',
    signals: Array.from({ length: SIGNALS }, (_, id) => ({ id, name: `Signal ${id}`, unit: '', description: '', source: { connection: 'PLC', address: `hr:${id}` }, data_type: 'double' as const, scale: 1, offset: 0, timebase_ms: 10 })),
    lengthIndex: null,
    compression: 'zstd',
  };
}

/** A process-like signal: a slow sine with a little quantised noise, 10 ms polls. */
function feedAt(k: number) {
  const n = PER_FEED;
  const b = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const row = k * n + i;
    const poll = Math.floor(row / SIGNALS);
    const s = row % SIGNALS;
    b.signal[i] = s;
    b.ts[i] = T0 + poll * 10;
    b.value[i] = Math.round((s * 10 + 50 * Math.sin(poll / 500 + s) + ((poll * 7919) % 13) / 10) * 10) / 10;
  }
  return b;
}

export default async function run(emit: Emit): Promise<void> {
  const dir = await tempDir('parx-bench-rec-');
  const feeds = Array.from({ length: Math.ceil(SAMPLES / PER_FEED) }, (_, k) => feedAt(k));

  const db = await openDuckDB();
  let seq = 0;
  const t0 = performance.now();
  const w = await BatchWriter.open(db.connection, dir, descriptor(), () => ++seq);
  for (const b of feeds) await w.append(b);
  const t1 = performance.now();
  const info = await w.close({ closedBy: 'bench' });
  const t2 = performance.now();
  emit({
    case: 'batch-file-zstd',
    samples: info.rows,
    signals: SIGNALS,
    rowsPerSec: Math.round(info.rows / ((t2 - t0) / 1000)),
    appendMs: Math.round(t1 - t0),
    closeMs: Math.round(t2 - t1),
    totalMs: Math.round(t2 - t0),
    bytes: info.bytes,
    bytesPerSample: Math.round((info.bytes / info.rows) * 100) / 100,
    spilledParts: Math.max(0, seq),
  });

  // Baseline: same row count, same columns, DuckDB generating and writing in one statement.
  const base = path.join(dir, 'baseline.parquet');
  const b0 = performance.now();
  await db.connection.run(
    `COPY (SELECT make_timestamptz(CAST((${T0} + (range // ${SIGNALS}) * 10) * 1000 AS BIGINT)) AS ts, 'Signal ' || (range % ${SIGNALS}) AS signal,
            round(((range % ${SIGNALS}) * 10 + 50 * sin((range // ${SIGNALS}) / 500 + range % ${SIGNALS}) + (((range // ${SIGNALS}) * 7919) % 13) / 10) * 10) / 10 AS value,
            0::UTINYINT AS quality FROM range(${SAMPLES})) TO '${base}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  const b1 = performance.now();
  const { size } = await fs.stat(base);
  emit({
    case: 'baseline-duckdb-copy-range-zstd',
    samples: SAMPLES,
    rowsPerSec: Math.round(SAMPLES / ((b1 - b0) / 1000)),
    totalMs: Math.round(b1 - b0),
    bytes: size,
    bytesPerSample: Math.round((size / SAMPLES) * 100) / 100,
    note: 'unsorted (time-major) rows generated inside DuckDB: no appender, no sort by signal',
  });
  db.close();
  await fs.rm(dir, { recursive: true, force: true });
}
