/**
 * The pyramids of the open batch files: kept in memory, saved as sidecars named by a hash of
 * (path, mtime, size) — never beside or inside the recordings, which may be read-only — and
 * built in the background, one file at a time, by a DuckDB instance of their own so a build
 * never queues in front of a trend query. Until a file's pyramid is ready its trends come
 * from raw samples, as before. Built when the recorder closes a file (engine-analysis.ts) or
 * when a folder is opened; sidecars whose batch file is gone or rewritten are swept away.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB, type DuckDBConnection } from '../../native/duckdb';
import type { Decimated } from './m4';
import { chooseLevel, m4Pyramid, type FilePyramid, type PyramidLevel, type PyramidPart } from './pyramid';
import { BuildCancelled, buildFilePyramid } from './pyramid-build';
import { blockSize, decodeBlock, decodeHead, encodePyramidChunks, sidecarSource, type SidecarHead } from './pyramid-file';

export interface PyramidBatch {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly signals: readonly { name: string }[];
}

export interface PyramidStats {
  built: number;
  loaded: number;
  failed: number;
  buildMs: number;
  bytes: number;
  /** Stale sidecars removed by sweeps (their batch file gone or rewritten). */
  swept: number;
}

/** What preparing one file's pyramid came to: found (in memory or a saved sidecar), built and saved, or failed. */
export interface PyramidOutcome {
  readonly status: 'up-to-date' | 'built' | 'failed';
  readonly message?: string;
}

/** Sidecars are named by the batch file's path, mtime and size: a rewritten file gets a new one. */
function sidecarName(stamp: string): string {
  return `${crypto.createHash('sha1').update(stamp).digest('hex')}.bin`;
}

const stampOf = (file: string, st: { mtimeMs: number; size: number }): string => `${file}\u0000${st.mtimeMs}\u0000${st.size}`;

const SWEEP_EVERY_MS = 3600_000;

/** Where sidecars go: PARX_ANALYSIS_PYRAMIDS (a folder, or "off"), else the temp folder. */
export function pyramidDirFromEnv(): string | null {
  const v = process.env.PARX_ANALYSIS_PYRAMIDS;
  if (v === 'off') return null;
  return v || path.join(os.tmpdir(), 'parx-pyramids');
}

export { buildFilePyramid };

/** A file's pyramid: its sidecar's head (blocks read on demand), or all of it in memory when it could not be saved; neither when it failed. */
interface Ready {
  stamp: string;
  memory: FilePyramid | null;
  disk: { file: string; head: SidecarHead } | null;
}

/** Reads a sidecar's head: the first 64 KB, more when the signal list is long. */
async function readHead(file: string): Promise<SidecarHead> {
  const fh = await fs.open(file);
  try {
    const size = (await fh.stat()).size;
    let want = Math.min(size, 65536);
    for (;;) {
      const buf = new Uint8Array(want);
      await fh.read(buf, 0, want, 0);
      const h = decodeHead(buf, size);
      if (typeof h !== 'number') return h;
      if (h <= want) throw new Error('pyramid head does not parse');
      want = h;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The builds' own DuckDB, one thread short of the machine: a build runs in the background
 * (at close, at open) and a trend query's DuckDB must always find a core.
 */
async function openBuildDb(): Promise<{ connection: DuckDBConnection; close(): void }> {
  const db = await openDuckDB(':memory:');
  await db.connection.run(`SET threads = ${Math.max(1, os.availableParallelism() - 1)}`);
  return db;
}

export class PyramidStore {
  private readonly ready = new Map<string, Ready>();
  /** Blocks read from sidecars, least recently used first out. */
  private readonly blocks = new Map<string, PyramidLevel>();
  private blockBytes = 0;
  /** done: loaded or built; checked: the sidecar has been tried (queries wait for that, never for a build). */
  private readonly pending = new Map<string, { checked: Promise<void>; done: Promise<PyramidOutcome> }>();
  private lastSweep = -Infinity;
  private sweeping: Promise<number> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private db: Promise<{ connection: DuckDBConnection; close(): void }> | null = null;
  private stopped = false;
  readonly stats: PyramidStats = { built: 0, loaded: 0, failed: 0, buildMs: 0, bytes: 0, swept: 0 };

  /** `dir` null: pyramids are off (every trend from raw samples). */
  constructor(
    private readonly dir: string | null,
    private readonly blockBudget = Number(process.env.PARX_ANALYSIS_PYRAMID_CACHE_MB ?? 64) * 1024 * 1024,
  ) {}

  get enabled(): boolean {
    return this.dir !== null;
  }

  /** Starts loading or building the pyramids of these batches, in the background. */
  warm(batches: readonly PyramidBatch[]): void {
    if (!this.dir) return;
    for (const b of batches) void this.ensure(b);
  }

  /** Resolves once every started load, build and sweep has finished (benchmarks, tests). */
  async idle(): Promise<PyramidStats> {
    while (this.pending.size > 0 || this.sweeping) await Promise.all([...[...this.pending.values()].map((p) => p.done), this.sweeping]);
    return { ...this.stats };
  }

  /**
   * Removes sidecars whose batch file is gone (retention, a hand delete) or was rewritten
   * since, sidecars that name no file (written before they did) or do not parse, and
   * temporary files of interrupted writes older than an hour. Returns how many went.
   */
  sweep(): Promise<number> {
    if (!this.dir) return Promise.resolve(0);
    this.sweeping ??= this.sweepNow().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  /** A sweep when none ran in the last hour (called on every open and closed batch file, so cheap when not due). */
  sweepSoon(): void {
    if (performance.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = performance.now();
    void this.sweep();
  }

  private async sweepNow(): Promise<number> {
    const dir = this.dir!;
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        if (name.endsWith('.tmp')) {
          if (Date.now() - (await fs.stat(file)).mtimeMs > SWEEP_EVERY_MS) {
            await fs.rm(file, { force: true });
            removed++;
          }
          continue;
        }
        if (!name.endsWith('.bin')) continue;
        const fh = await fs.open(file);
        let source: string | null;
        try {
          const head = new Uint8Array(12);
          await fh.read(head, 0, 12, 0);
          const hlen = new DataView(head.buffer).getUint32(8, true);
          const buf = new Uint8Array(12 + Math.max(0, Math.min(hlen, (await fh.stat()).size - 12)));
          await fh.read(buf, 0, buf.length, 0);
          source = sidecarSource(buf);
        } finally {
          await fh.close();
        }
        // Gone (ENOENT) or rewritten: stale. Unreadable for another reason (permissions, a
        // failing disk): kept, the file may come back.
        const current = source
          ? await fs.stat(source).then(
              (st) => sidecarName(stampOf(source, st)),
              (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? null : name),
            )
          : null;
        if (current === name) continue;
        await fs.rm(file, { force: true });
        removed++;
      } catch {
        // Vanished meanwhile, or unreadable: left for the next sweep.
      }
    }
    this.stats.swept += removed;
    return removed;
  }

  drop(file: string): void {
    this.ready.delete(file);
  }

  /** Loads the file's saved pyramid, or builds and saves it (in the background, one file at a time); what it came to. */
  prepare(b: PyramidBatch): Promise<PyramidOutcome> {
    if (!this.dir) return Promise.resolve({ status: 'failed', message: 'pyramids are off (PARX_ANALYSIS_PYRAMIDS=off)' });
    return this.ensure(b);
  }

  private ensure(b: PyramidBatch): Promise<PyramidOutcome> {
    if (this.stopped) return Promise.resolve({ status: 'failed', message: 'the analysis worker is stopping' });
    const running = this.pending.get(b.path);
    if (running) return running.done;
    let checked = (): void => undefined;
    const entry = { checked: new Promise<void>((r) => (checked = r)), done: Promise.resolve<PyramidOutcome>({ status: 'up-to-date' }) };
    const failed = (e: unknown): PyramidOutcome => ({ status: 'failed', message: (e as Error).message?.split('\n')[0] ?? String(e) });
    entry.done = (async (): Promise<PyramidOutcome> => {
      try {
        const st = await fs.stat(b.path);
        const stamp = stampOf(b.path, st);
        const known = this.ready.get(b.path);
        if (known?.stamp === stamp) return known.memory || known.disk ? { status: 'up-to-date' } : { status: 'failed', message: 'its pyramid could not be built before' };
        const sidecar = path.join(this.dir!, sidecarName(stamp));
        try {
          this.ready.set(b.path, { stamp, memory: null, disk: { file: sidecar, head: await readHead(sidecar) } });
          this.stats.loaded++;
          return { status: 'up-to-date' };
        } catch {
          // No sidecar yet (or a damaged one): build it.
        }
        checked();
        return await this.serial(async (): Promise<PyramidOutcome> => {
          const t = performance.now();
          try {
            if (this.stopped) throw new BuildCancelled();
            this.db ??= openBuildDb();
            const p = await buildFilePyramid((await this.db).connection, b.path, b.signals.map((s) => s.name), undefined, () => this.stopped);
            // Usable at once from memory; once saved, only its head stays (blocks read on demand).
            this.ready.set(b.path, { stamp, memory: p, disk: null });
            this.stats.built++;
            await fs.mkdir(this.dir!, { recursive: true });
            const tmp = `${sidecar}.${process.pid}.tmp`;
            // Written chunk by chunk: trend queries run between the writes.
            let first: Uint8Array | null = null;
            let size = 0;
            const fh = await fs.open(tmp, 'w');
            try {
              for (const chunk of encodePyramidChunks(p, b.path)) {
                first ??= chunk;
                size += chunk.length;
                for (let off = 0; off < chunk.length; ) off += (await fh.write(chunk, off)).bytesWritten;
              }
            } finally {
              await fh.close();
            }
            this.stats.bytes += size;
            await fs.rename(tmp, sidecar);
            const head = decodeHead(first!, size);
            if (typeof head !== 'number') this.ready.set(b.path, { stamp, memory: null, disk: { file: sidecar, head } });
            return { status: 'built' };
          } catch (e) {
            // Unreadable file or full disk: its trends keep coming from raw samples.
            if (!this.ready.has(b.path)) this.ready.set(b.path, { stamp, memory: null, disk: null });
            this.stats.failed++;
            return failed(e);
          } finally {
            this.stats.buildMs += performance.now() - t;
          }
        });
      } catch (e) {
        this.stats.failed++;
        return failed(e);
      } finally {
        checked();
        this.pending.delete(b.path);
      }
    })();
    this.pending.set(b.path, entry);
    return entry.done;
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.chain.then(job);
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /**
   * One signal's trend from the pyramids of the batches it spans, or null when raw samples
   * are needed (pixels narrower than the finest buckets, a pyramid not built yet, a file
   * whose rows are not in time order). Waits for sidecars being read, never for a build.
   */
  async answer(batches: readonly PyramidBatch[], signal: string, from: number, to: number, pixels: number): Promise<Decimated | null> {
    if (!this.dir) return null;
    const mine = batches.filter((b) => b.end >= from && b.start <= to && b.signals.some((s) => s.name === signal));
    if (mine.length === 0) return null;
    const width = (to - from) / Math.max(1, Math.floor(pixels));
    // Every batch at once: sidecar heads and blocks are independent reads.
    const parts = await Promise.all(
      mine.map(async (b): Promise<PyramidPart | null | 'none'> => {
        let r = this.ready.get(b.path);
        if (!r) {
          if (!this.pending.has(b.path)) void this.ensure(b);
          await this.pending.get(b.path)?.checked;
          r = this.ready.get(b.path);
        }
        const head = r?.memory ?? r?.disk?.head;
        if (!r || !head) return null;
        const c = chooseLevel(head, signal, width);
        if (c === null || c === 'none') return c;
        if (r.memory) {
          const lv = r.memory.levels[c.level]!;
          return { level: lv, from: lv.offsets[c.signal]!, to: lv.offsets[c.signal + 1]! };
        }
        const lv = await this.block(r.disk!, c.level, c.signal);
        return lv ? { level: lv, from: 0, to: lv.t0.length } : null;
      }),
    );
    if (parts.includes(null)) return null;
    const found = parts.filter((p): p is PyramidPart => p !== null && p !== 'none');
    return found.length ? m4Pyramid(found, from, to, pixels) : null;
  }

  /** One (level, signal) block of a sidecar: one read, then cached; null when the file went bad (raw samples then). */
  private async block(d: { file: string; head: SidecarHead }, level: number, signal: number): Promise<PyramidLevel | null> {
    const key = `${d.file}\u0000${level}\u0000${signal}`;
    const hit = this.blocks.get(key);
    if (hit) {
      this.blocks.delete(key);
      this.blocks.set(key, hit);
      return hit;
    }
    const { pos, n } = d.head.blocks[level]![signal]!;
    const buf = new Uint8Array(blockSize(n));
    try {
      const fh = await fs.open(d.file);
      try {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead < buf.length) return null;
      } finally {
        await fh.close();
      }
    } catch {
      return null;
    }
    const lv = decodeBlock(buf, n, d.head.levels[level]!.size);
    // Two queries may have read the same block at once: count it once.
    if (!this.blocks.has(key)) this.blockBytes += buf.byteLength;
    this.blocks.set(key, lv);
    for (const [k, old] of this.blocks) {
      if (this.blockBytes <= this.blockBudget || k === key) break;
      this.blocks.delete(k);
      this.blockBytes -= blockSize(old.t0.length);
    }
    return lv;
  }

  close(): void {
    void this.db?.then((d) => d.close());
    this.db = null;
  }

  /**
   * Ends every build before the worker goes: none starts any more, the running one stops at
   * its next slice or is interrupted in DuckDB, and the build DuckDB is closed once nothing
   * runs on it. Terminating a worker while DuckDB works for it aborts the whole process.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const interrupt = (): void => void this.db?.then((d) => d.connection.interrupt(), () => undefined);
    interrupt();
    // An interrupt just before a query starts is lost: repeated until every build has ended.
    const again = setInterval(interrupt, 50);
    try {
      await this.idle();
    } finally {
      clearInterval(again);
    }
    const db = this.db;
    this.db = null;
    if (db) (await db.catch(() => null))?.close();
  }
}
