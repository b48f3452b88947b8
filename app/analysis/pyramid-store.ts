/**
 * The pyramids of the open batch files: kept in memory, saved as sidecars named by a hash of
 * (path, mtime, size) — never beside or inside the recordings, which may be read-only — and
 * built in the background, one file at a time, by a DuckDB instance of their own so a build
 * never queues in front of a trend query. Until a file's pyramid is ready its trends come
 * from raw samples, as before.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDuckDB, type DuckDBConnection } from '../../native/duckdb';
import { queryDoubleColumns } from '../../native/duckdb-columns';
import type { Decimated } from './m4';
import { ABS_COLUMNS, buildPyramid, chooseLevel, level0Sql, m4Pyramid, type AbsBuckets, type FilePyramid, type PyramidLevel, type PyramidPart } from './pyramid';
import { blockSize, decodeBlock, decodeHead, encodePyramid, type SidecarHead } from './pyramid-file';

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
}

/** Where sidecars go: PARX_ANALYSIS_PYRAMIDS (a folder, or "off"), else the temp folder. */
export function pyramidDirFromEnv(): string | null {
  const v = process.env.PARX_ANALYSIS_PYRAMIDS;
  if (v === 'off') return null;
  return v || path.join(os.tmpdir(), 'parx-pyramids');
}

export async function buildFilePyramid(db: DuckDBConnection, file: string, signals: string[]): Promise<FilePyramid> {
  const cols = await queryDoubleColumns(db, level0Sql(file, signals));
  return buildPyramid(signals, Object.fromEntries(ABS_COLUMNS.map((c, i) => [c, cols[i]!])) as unknown as AbsBuckets);
}

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

export class PyramidStore {
  private readonly ready = new Map<string, Ready>();
  /** Blocks read from sidecars, least recently used first out. */
  private readonly blocks = new Map<string, PyramidLevel>();
  private blockBytes = 0;
  /** done: loaded or built; checked: the sidecar has been tried (queries wait for that, never for a build). */
  private readonly pending = new Map<string, { checked: Promise<void>; done: Promise<void> }>();
  private chain: Promise<void> = Promise.resolve();
  private db: Promise<{ connection: DuckDBConnection; close(): void }> | null = null;
  readonly stats: PyramidStats = { built: 0, loaded: 0, failed: 0, buildMs: 0, bytes: 0 };

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

  /** Resolves once every started load and build has finished (benchmarks, tests). */
  async idle(): Promise<PyramidStats> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()].map((p) => p.done));
    return { ...this.stats };
  }

  drop(file: string): void {
    this.ready.delete(file);
  }

  private ensure(b: PyramidBatch): Promise<void> {
    const running = this.pending.get(b.path);
    if (running) return running.done;
    let checked = (): void => undefined;
    const entry = { checked: new Promise<void>((r) => (checked = r)), done: Promise.resolve() };
    entry.done = (async () => {
      try {
        const st = await fs.stat(b.path);
        const stamp = `${b.path}\u0000${st.mtimeMs}\u0000${st.size}`;
        if (this.ready.get(b.path)?.stamp === stamp) return;
        const sidecar = path.join(this.dir!, `${crypto.createHash('sha1').update(stamp).digest('hex')}.bin`);
        try {
          this.ready.set(b.path, { stamp, memory: null, disk: { file: sidecar, head: await readHead(sidecar) } });
          this.stats.loaded++;
          return;
        } catch {
          // No sidecar yet (or a damaged one): build it.
        }
        checked();
        await this.serial(async () => {
          const t = performance.now();
          try {
            this.db ??= openDuckDB(':memory:');
            const p = await buildFilePyramid((await this.db).connection, b.path, b.signals.map((s) => s.name));
            // Usable at once from memory; once saved, only its head stays (blocks read on demand).
            this.ready.set(b.path, { stamp, memory: p, disk: null });
            this.stats.built++;
            const bytes = encodePyramid(p);
            this.stats.bytes += bytes.byteLength;
            await fs.mkdir(this.dir!, { recursive: true });
            const tmp = `${sidecar}.${process.pid}.tmp`;
            await fs.writeFile(tmp, bytes);
            await fs.rename(tmp, sidecar);
            const head = decodeHead(bytes, bytes.length);
            if (typeof head !== 'number') this.ready.set(b.path, { stamp, memory: null, disk: { file: sidecar, head } });
          } catch {
            // Unreadable file or full disk: its trends keep coming from raw samples.
            if (!this.ready.has(b.path)) this.ready.set(b.path, { stamp, memory: null, disk: null });
            this.stats.failed++;
          } finally {
            this.stats.buildMs += performance.now() - t;
          }
        });
      } catch {
        this.stats.failed++;
      } finally {
        checked();
        this.pending.delete(b.path);
      }
    })();
    this.pending.set(b.path, entry);
    return entry.done;
  }

  private serial(job: () => Promise<void>): Promise<void> {
    const next = this.chain.then(job);
    this.chain = next.catch(() => undefined);
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
}
