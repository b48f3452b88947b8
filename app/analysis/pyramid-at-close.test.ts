/**
 * Pyramids built when the recorder closes a batch file: the engine (real demo line, real
 * pump and recorder) asks the analysis worker for every file it writes, so a later open finds
 * a sidecar for each and builds none; a full-range trend of a recorded coil then comes from
 * the saved sidecar (no raw column read, sidecar untouched); sidecars of deleted or rewritten
 * files are swept away.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir } from '../testing/helpers';
import { parquetFiles } from '../recorder/testing/readers';
import { AnalysisHost } from './analysis-host';
import { sidecarSource } from './pyramid-file';
import { writeCoils } from './testing/coils';

async function sidecars(dir: string): Promise<Map<string, { source: string | null; mtimeMs: number }>> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.bin'));
  const out = new Map<string, { source: string | null; mtimeMs: number }>();
  for (const n of names) {
    const file = path.join(dir, n);
    out.set(n, { source: sidecarSource(await fs.readFile(file)), mtimeMs: (await fs.stat(file)).mtimeMs });
  }
  return out;
}

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('pyramids built at close', () => {
  const hosts: AnalysisHost[] = [];
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    engine = undefined;
    line = undefined;
    for (const h of hosts.splice(0)) await h.stop();
  });

  const host = (pyramids: string): AnalysisHost => {
    const h = new AnalysisHost(undefined, { PARX_ANALYSIS_PYRAMIDS: pyramids });
    hosts.push(h);
    return h;
  };

  it('the engine builds a sidecar for every batch file it writes; a fresh worker opening the folder builds none', async () => {
    line = await startDemoLine({ seed: 5 });
    const workspace = await tempDir('parx-pyr-close-');
    engine = await Engine.start({ workspace, mode: 'node' });
    const warnings: string[] = [];
    engine.on('log', (l) => l.message.startsWith('pyramid') && warnings.push(l.message));
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    expect((await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording: { enabled: true, line: 'L1', rule: { mode: 'continuous', rotateEveryMs: 1500 }, compression: 'zstd' } } })).ok).toBe(true);
    const recordings = path.join(workspace, 'recordings');
    for (let i = 0; i < 150 && (await parquetFiles(recordings).catch(() => [])).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await engine.stop();
    engine = undefined;

    const files = await parquetFiles(recordings);
    expect(files.length).toBeGreaterThanOrEqual(2);
    const dir = path.join(workspace, 'analysis', 'pyramids');
    // The engine's own worker builds in the background: wait for the last file (closed on stop).
    let saved = await sidecars(dir);
    for (let i = 0; i < 100 && saved.size < files.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      saved = await sidecars(dir);
    }
    expect([...saved.values()].map((s) => s.source).sort()).toEqual(files.map((f) => path.resolve(f)).sort());
    expect(warnings).toEqual([]);

    const fresh = host(dir);
    const src = ok(await fresh.request({ type: 'open', path: recordings }));
    expect(src.batches).toHaveLength(files.length);
    ok(await fresh.request({ type: 'query', params: { source: src.id, signals: ['Line Speed', 'Entry Tension'], pixels: 4, axis: 'time' } }));
    const stats = ok(await fresh.request({ type: 'pyramids' }));
    expect(stats).toMatchObject({ built: 0, failed: 0, loaded: files.length, swept: 0 });
    // Found, not rewritten.
    const after = await sidecars(dir);
    for (const [n, s] of saved) expect(after.get(n)?.mtimeMs).toBe(s.mtimeMs);
  }, 60_000);

  it('a recorded coil: the pyramid request builds once, then a fresh worker draws the full range from the sidecar without reading raw samples', async () => {
    const root = await tempDir('parx-pyr-coil-');
    const [file, second] = await writeCoils(path.join(root, 'recordings'), { coils: 2, samples: 20_000 });
    const dir = path.join(root, 'pyramids');
    const h = host(dir);
    expect(ok(await h.request({ type: 'pyramid', file: file! }))).toMatchObject({ status: 'built', file: file! });
    expect(ok(await h.request({ type: 'pyramid', file: file! })).status).toBe('up-to-date');
    expect(ok(await h.request({ type: 'pyramid', file: second! })).status).toBe('built');
    // A file the recorder wrote as CSV is no Parquet batch: nothing to build, no error.
    expect(ok(await h.request({ type: 'pyramid', file: path.join(root, 'x.csv') })).status).toBe('up-to-date');
    const missing = ok(await h.request({ type: 'pyramid', file: path.join(root, 'gone.parquet') }));
    expect(missing.status).toBe('failed');
    const saved = await sidecars(dir);
    expect(saved.size).toBe(2);

    const query = { signals: ['Entry Tension', 'Line Speed'], pixels: 200, axis: 'time' as const, batch: path.basename(file!) };
    const fresh = host(dir);
    const src = ok(await fresh.request({ type: 'open', path: path.dirname(file!) }));
    const fromSidecar = ok(await fresh.request({ type: 'query', params: { source: src.id, ...query } }));
    expect(fromSidecar.series.every((s) => !s.raw && s.samples === 20_000)).toBe(true);
    expect(ok(await fresh.request({ type: 'memory' })).cacheBytes).toBe(0);
    expect(ok(await fresh.request({ type: 'pyramids' }))).toMatchObject({ built: 0, loaded: 2 });
    for (const [n, s] of await sidecars(dir)) expect(saved.get(n)?.mtimeMs).toBe(s.mtimeMs);

    // The same trend from a pyramid built at open (the old path) and from raw samples (pyramids off).
    const other = host(path.join(root, 'other'));
    const src2 = ok(await other.request({ type: 'open', path: path.dirname(file!) }));
    ok(await other.request({ type: 'pyramids' }));
    expect(ok(await other.request({ type: 'query', params: { source: src2.id, ...query } })).series).toEqual(fromSidecar.series);
    const raw = host('off');
    const src3 = ok(await raw.request({ type: 'open', path: path.dirname(file!) }));
    const rawSeries = ok(await raw.request({ type: 'query', params: { source: src3.id, ...query } })).series;
    expect(ok(await raw.request({ type: 'memory' })).cacheBytes).toBeGreaterThan(0);
    expect(rawSeries.map((s) => s.samples)).toEqual(fromSidecar.series.map((s) => s.samples));
  }, 60_000);

  it('sweeps sidecars whose batch file was deleted (retention) or rewritten, keeping the rest', async () => {
    const root = await tempDir('parx-pyr-sweep-');
    const files = await writeCoils(path.join(root, 'recordings'), { coils: 3, samples: 2000 });
    const dir = path.join(root, 'pyramids');
    const h = host(dir);
    for (const f of files) expect(ok(await h.request({ type: 'pyramid', file: f })).status).toBe('built');
    await fs.writeFile(path.join(dir, `${'0'.repeat(40)}.bin.123.tmp`), 'half a write');
    await fs.utimes(path.join(dir, `${'0'.repeat(40)}.bin.123.tmp`), new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    await fs.writeFile(path.join(dir, `${'1'.repeat(40)}.bin`), 'PARXPYR1 from long ago');
    const before = await sidecars(dir);
    expect(before.size).toBe(4);

    await fs.rm(files[0]!);
    const later = new Date(Date.now() + 5000);
    await fs.utimes(files[1]!, later, later);
    // A new worker sweeps when it opens a folder (then at most hourly, on opens and closed files).
    const fresh = host(dir);
    ok(await fresh.request({ type: 'open', path: path.join(root, 'recordings') }));
    const stats = ok(await fresh.request({ type: 'pyramids' }));
    expect(stats.swept).toBeGreaterThanOrEqual(4);
    const left = await sidecars(dir);
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // Left: file 2's sidecar as it was, and file 1's rebuilt under its new stamp by the open.
    expect([...left.values()].map((s) => s.source).sort()).toEqual([files[1]!, files[2]!].sort());
    expect([...left.keys()].filter((n) => before.has(n))).toHaveLength(1);
  }, 60_000);
});
