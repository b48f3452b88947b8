import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../native/duckdb';
import { BatchWriter } from '../recorder/batch-writer';
import { descriptor, polls, T0 } from '../recorder/testing/samples';
import { tempDir } from '../testing/helpers';
import { evaluateOverRecordings } from './eval-recordings';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function parx(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/parx.mjs'), ...args], { cwd: root, timeout: 60_000, maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('parx eval over files written by the recorder', () => {
  let dir: string;
  let db: { connection: DuckDBConnection; close(): void };
  beforeAll(async () => {
    dir = await tempDir('parx-eval-');
    db = await openDuckDB();
    let seq = 0;
    // Two batches (two coils) of the same signals, one after the other.
    const a = await BatchWriter.open(db.connection, dir, descriptor(), () => ++seq);
    await a.append(polls(100));
    await a.close({ closedBy: 'coil id changed to 4712', end: T0 + 2000 });
    const b = await BatchWriter.open(db.connection, dir, descriptor({ id: 'L1-2026-03-29T06-00-02.000Z', coil: '4712', start: T0 + 2000 }), () => ++seq);
    await b.append(polls(50, T0 + 2000));
    await b.close({ closedBy: 'stopped', end: T0 + 3000 });
  });
  afterAll(() => db.close());

  it('prints ts,value lines equal to a hand computation across the whole folder', async () => {
    const r = await parx(['eval', '[Entry Tension] + [Coil Length] * 10', '--source', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('ts,value [kN]');
    expect(lines).toHaveLength(151);
    // polls(): Entry Tension = 2000 + k, Coil Length = 0.2 k, k per batch from 0, every 20 ms.
    const expected = [...Array.from({ length: 100 }, (_, k) => [T0 + 20 * k, 2000 + k + 0.2 * k * 10]), ...Array.from({ length: 50 }, (_, k) => [T0 + 2000 + 20 * k, 2000 + k + 0.2 * k * 10])];
    lines.slice(1).forEach((line, i) => {
      const [ts, v] = line.split(',');
      expect(Date.parse(ts!)).toBe(expected[i]![0]);
      expect(Number(v)).toBeCloseTo(expected[i]![1]!, 9);
    });
  }, 60_000);

  it('--json gives one object per line, --from/--to cut the range', async () => {
    const from = new Date(T0 + 2000).toISOString();
    const r = await parx(['eval', 'diff([Coil Length])', '--source', dir, '--json', '--from', from, '--to', String(T0 + 2100)]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ts: string; value: number | null; unit: string });
    expect(rows.map((x) => x.ts)).toEqual([0, 20, 40, 60, 80, 100].map((d) => new Date(T0 + 2000 + d).toISOString()));
    // The second coil restarts its length at 0: the first diff across the batch boundary is negative.
    expect(rows[0]!.value).toBeCloseTo(0 - 99 * 0.2, 9);
    expect(rows[1]!.value).toBeCloseTo(0.2, 9);
    expect(rows[0]!.unit).toBe('m');
  }, 60_000);

  it('a formula error names the position and points at it; an unknown signal is an error', async () => {
    const r = await parx(['eval', '[Entry Tension] * (2 +', '--source', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/at 22\n {2}\[Entry Tension\] \* \(2 \+\n {24}\^/);
    const unknown = await evaluateOverRecordings('[No Such] + 1', dir);
    expect(unknown).toMatchObject({ ok: false, error: { kind: 'formula', position: 0, message: expect.stringMatching(/unknown signal 'No Such'/) } });
    const missing = await evaluateOverRecordings('[Line Speed]', path.join(dir, 'nope'));
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  }, 60_000);
});
