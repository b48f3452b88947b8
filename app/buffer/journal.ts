/**
 * The disk-backed sample buffer between the collector and its consumers (recorder, remote
 * publishers): append-only segment files in the workspace.
 *
 * - Appends are gathered in memory and written + fsync'ed every `flushIntervalMs` (≤ 1 s),
 *   so a kill -9 loses at most that interval.
 * - A segment rolls over at `segmentBytes`. The total is bounded by `maxBytes`; when full the
 *   OLDEST segments are deleted (a consumer that fell that far behind loses the oldest data,
 *   never the newest — stated in docs and counted in `droppedSegments`).
 * - On open, each segment is scanned; a torn tail (a record cut by a crash) is truncated at
 *   the last whole record, so replay never yields garbage.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SampleBatch } from '../shared/samples';
import { decodeRecord, encodeRecordInto, recordBytes, type BatchAlloc } from './record';
import { RecentChunks } from './recent-chunks';

export interface JournalOptions {
  readonly segmentBytes: number;
  readonly maxBytes: number;
  readonly flushIntervalMs: number;
  /** Bytes of recently flushed records kept in memory, so a consumer that keeps up replays them without re-reading the file. */
  readonly memoryBytes: number;
}

export const DEFAULT_JOURNAL: JournalOptions = { segmentBytes: 16 * 1024 * 1024, maxBytes: 1024 * 1024 * 1024, flushIntervalMs: 250, memoryBytes: 64 * 1024 * 1024 };

/** Where a consumer has read up to: segment sequence number and byte offset within it. */
export interface JournalCursor {
  readonly segment: number;
  readonly offset: number;
}

export interface JournalStats {
  readonly segments: number;
  readonly bytes: number;
  readonly droppedSegments: number;
  readonly truncatedBytes: number;
  readonly lastFlushAt: number;
  readonly flushErrors: number;
  /** Set while flushes fail (a full or failing disk): since when and why; null while it writes. */
  readonly failing: { readonly since: number; readonly message: string } | null;
  /** Samples of flushes that could not be written, since the journal was opened. */
  readonly lostSamples: number;
}

const SEGMENT = /^seg-(\d{10})\.pxb$/;
/** Flushes must write again for this long before a failing disk buffer counts as writing again. */
const RECOVERED_MS = 2_000;
/** Appends are encoded into blocks of this size; 8 MB holds 0.4 s of 1,000 signals at 1 kHz. */
const BLOCK_BYTES = 8 * 1024 * 1024;
/** Blocks kept for reuse after a flush. */
const SPARE_BLOCKS = 8;

async function readTail(file: string, offset: number): Promise<Buffer | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
/**
 * Writes every byte of `views` (appending). A write may take only part (a disk at the edge of
 * full): the rest is written on, so a real failure surfaces as its own error (ENOSPC).
 */
async function writeAll(handle: fs.FileHandle, views: Buffer[], bytes: number): Promise<void> {
  let done = (await handle.writev(views)).bytesWritten;
  while (done < bytes) {
    let skip = done;
    const rest: Buffer[] = [];
    for (const v of views) {
      if (skip >= v.length) skip -= v.length;
      else {
        rest.push(v.subarray(skip));
        skip = 0;
      }
    }
    const n = (await handle.writev(rest)).bytesWritten;
    if (n === 0) throw new Error(`the disk took ${done} of ${bytes} bytes and no more`);
    done += n;
  }
}

const segmentName = (seq: number): string => `seg-${String(seq).padStart(10, '0')}.pxb`;

export class SampleJournal {
  /** Records appended since the last flush, encoded back to back in blocks (whole records each). */
  private pending: { buf: Buffer; used: number }[] = [];
  private pendingBytes = 0;
  /** Blocks the last flushes wrote from, for the next appends: appending allocates nothing in a steady state. */
  private spareBlocks: Buffer[] = [];
  private handle: fs.FileHandle | undefined;
  private current = 0;
  private currentBytes = 0;
  private sizes = new Map<number, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private droppedSegments = 0;
  private truncatedBytes = 0;
  private lastFlushAt = 0;
  private flushErrors = 0;
  private failing: { since: number; message: string } | null = null;
  private failedSince = { flushes: 0, samples: 0 };
  /** While failing: since when flushes have been written again. */
  private writingSince: number | null = null;
  private lostSamples = 0;
  private pendingSamples = 0;
  private closed = false;
  /** What the last flushes wrote, oldest first: byte for byte what the segment holds there. */
  private readonly recent: RecentChunks;

  private constructor(
    readonly dir: string,
    readonly options: JournalOptions,
    private readonly onError: (message: string) => void,
  ) {
    this.recent = new RecentChunks(options.memoryBytes);
  }

  static async open(dir: string, options: Partial<JournalOptions> = {}, onError: (m: string) => void = () => undefined): Promise<SampleJournal> {
    const j = new SampleJournal(dir, { ...DEFAULT_JOURNAL, ...options }, onError);
    await fs.mkdir(dir, { recursive: true });
    await j.recover();
    j.timer = setInterval(() => void j.flush(), j.options.flushIntervalMs);
    return j;
  }

  private async segments(): Promise<number[]> {
    const names = await fs.readdir(this.dir);
    return names
      .map((n) => SEGMENT.exec(n)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Scans every segment; cuts a torn tail. New appends go to a fresh segment after the last. */
  private async recover(): Promise<void> {
    for (const seq of await this.segments()) {
      const file = path.join(this.dir, segmentName(seq));
      const buf = await fs.readFile(file);
      let at = 0;
      while (at < buf.length) {
        const r = decodeRecord(buf, at);
        if (!r.ok) break;
        at += r.bytes;
      }
      if (at < buf.length) {
        this.truncatedBytes += buf.length - at;
        await fs.truncate(file, at);
      }
      this.sizes.set(seq, at);
      this.current = seq;
    }
    await this.roll();
  }

  private async roll(): Promise<void> {
    await this.handle?.close();
    this.current += 1;
    this.currentBytes = 0;
    this.handle = await fs.open(path.join(this.dir, segmentName(this.current)), 'a');
    this.sizes.set(this.current, 0);
  }

  /** Never blocks and never throws: the batch is written at the next flush. */
  append(batch: SampleBatch): void {
    if (this.closed || batch.ts.length === 0) return;
    const size = recordBytes(batch.ts.length);
    let block = this.pending[this.pending.length - 1];
    if (!block || block.used + size > block.buf.length) {
      // A record larger than a block gets one of its own, used once.
      block = { buf: size <= BLOCK_BYTES ? (this.spareBlocks.pop() ?? Buffer.allocUnsafe(BLOCK_BYTES)) : Buffer.allocUnsafe(size), used: 0 };
      this.pending.push(block);
    }
    block.used += encodeRecordInto(batch, block.buf, block.used);
    this.pendingBytes += size;
    this.pendingSamples += batch.ts.length;
  }

  /** Writes and fsyncs what was appended; resolves when it is on disk. */
  flush(): Promise<void> {
    return this.flushStages().synced;
  }

  /**
   * Starts a flush of what was appended: `written` resolves once it is in its segment (readable,
   * with a position), `synced` once it is also fsync'ed. A reader needs only the first, so it
   * does not wait for the disk (see `replay`).
   */
  private flushStages(): { written: Promise<void>; synced: Promise<void> } {
    let wrote = (): void => undefined;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    this.flushing = this.flushing.then(() => this.flushNow(wrote)).finally(wrote);
    return { written, synced: this.flushing };
  }

  private async flushNow(wrote: () => void): Promise<void> {
    if (this.pendingBytes === 0 || !this.handle) return;
    // Appends made while this flush writes go to new blocks.
    const blocks = this.pending;
    const bytes = this.pendingBytes;
    const samples = this.pendingSamples;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingSamples = 0;
    let written = false;
    try {
      const views = blocks.map((b) => b.buf.subarray(0, b.used));
      await writeAll(this.handle, views, bytes);
      // Written is where it stays, whether or not the sync below succeeds: positions count it.
      for (const v of views) {
        this.recent.remember(this.current, this.currentBytes, v);
        this.currentBytes += v.length;
      }
      this.sizes.set(this.current, this.currentBytes);
      written = true;
      wrote();
      if (this.failing) {
        // On a disk at the edge of full a small flush fits now and then: writing again counts
        // only once flushes have written for RECOVERED_MS, so the episode is said once.
        this.writingSince ??= Date.now();
        if (Date.now() - this.writingSince >= RECOVERED_MS) {
          const { flushes, samples: lost } = this.failedSince;
          this.onError(`sample buffer ${this.dir} writes again after ${flushes} failed flush${flushes === 1 ? '' : 'es'} since ${new Date(this.failing.since).toISOString()}: ${lost} samples were lost`);
          this.failing = null;
          this.writingSince = null;
        }
      }
      await this.handle.datasync();
      this.lastFlushAt = Date.now();
      if (this.currentBytes >= this.options.segmentBytes) await this.roll();
      await this.enforceLimit();
    } catch (e) {
      this.flushErrors++;
      const message = (e as Error).message;
      this.writingSince = null;
      if (!this.failing) this.failedSince = { flushes: 0, samples: 0 };
      this.failedSince.flushes++;
      if (!written) {
        // A part-written flush is cut off, so what is appended next lands where positions say it does.
        await this.handle?.truncate(this.currentBytes).catch(() => undefined);
        this.lostSamples += samples;
        this.failedSince.samples += samples;
      }
      // Said once when flushes start failing (every 250 ms otherwise), and once when they write again.
      if (!this.failing) this.onError(`sample buffer ${this.dir}: ${message} — samples are lost until it can write again; collection goes on`);
      this.failing ??= { since: Date.now(), message };
    } finally {
      // The memory keeps its own copy: the blocks take the next appends (beyond what a burst needs, they are let go).
      for (const b of blocks) if (b.buf.length === BLOCK_BYTES && this.spareBlocks.length < SPARE_BLOCKS) this.spareBlocks.push(b.buf);
    }
  }

  private async enforceLimit(): Promise<void> {
    let total = [...this.sizes.values()].reduce((a, b) => a + b, 0);
    for (const seq of [...this.sizes.keys()].sort((a, b) => a - b)) {
      if (total <= this.options.maxBytes || seq === this.current) break;
      await fs.rm(path.join(this.dir, segmentName(seq)), { force: true });
      total -= this.sizes.get(seq) ?? 0;
      this.sizes.delete(seq);
      this.recent.dropSegment(seq);
      this.droppedSegments++;
    }
  }

  /**
   * Every whole record from `from` on (the start when omitted), oldest first, with the cursor
   * after it. Reads only the bytes after the cursor, so a consumer polling it stays cheap.
   * `alloc` gives the decoded batches their arrays (a BatchPool's, to reuse them).
   */
  async *replay(from?: JournalCursor, alloc?: BatchAlloc): AsyncGenerator<{ batch: SampleBatch; cursor: JournalCursor }> {
    // Written, not necessarily fsync'ed: a consumer that makes what it read durable itself (the
    // recorder's parts carry the cursor) loses nothing if the journal's unsynced tail is cut
    // after a crash — a cursor past a segment's end just reads nothing more from that segment.
    await this.flushStages().written;
    for (const seq of await this.segments()) {
      if (from && seq < from.segment) continue;
      let at = from && seq === from.segment ? from.offset : 0;
      const end = this.sizes.get(seq);
      const chunks = end === undefined ? null : this.recent.range(seq, at, end);
      let torn = false;
      for (const c of chunks ?? []) {
        // `live` is checked before each record: while this reader waited, a flush may have reused the chunk's memory.
        while (c.live && at < c.offset + c.buf.length) {
          const r = decodeRecord(c.buf, at - c.offset, alloc);
          if (!r.ok) {
            torn = true;
            break;
          }
          at += r.bytes;
          yield { batch: r.batch, cursor: { segment: seq, offset: at } };
        }
        if (torn || !c.live) break;
      }
      if (torn || (chunks && at === end)) continue;
      // Not (or no longer) in memory: from the file, from where memory left off.
      const buf = await readTail(path.join(this.dir, segmentName(seq)), at);
      if (!buf) continue; // dropped by the size limit meanwhile
      let k = 0;
      while (k < buf.length) {
        const r = decodeRecord(buf, k, alloc);
        if (!r.ok) break; // a torn record: nothing after it in this segment is read
        k += r.bytes;
        yield { batch: r.batch, cursor: { segment: seq, offset: at + k } };
      }
    }
  }

  /** Where the next record will go: a consumer that wants only what comes from now on starts here. */
  async end(): Promise<JournalCursor> {
    await this.flush();
    return { segment: this.current, offset: this.currentBytes };
  }

  /** Bytes appended after `cursor` (flushed or not): how far a consumer reading from there is behind. */
  bytesAfter(cursor: JournalCursor): number {
    let bytes = this.pendingBytes;
    for (const [seq, size] of this.sizes) {
      if (seq > cursor.segment) bytes += size;
      else if (seq === cursor.segment) bytes += Math.max(0, size - cursor.offset);
    }
    return bytes;
  }

    stats(): JournalStats {
    return {
      segments: this.sizes.size,
      bytes: [...this.sizes.values()].reduce((a, b) => a + b, 0) + this.pendingBytes,
      droppedSegments: this.droppedSegments,
      truncatedBytes: this.truncatedBytes,
      lastFlushAt: this.lastFlushAt,
      flushErrors: this.flushErrors,
      failing: this.failing,
      lostSamples: this.lostSamples,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    await this.handle?.close();
    this.handle = undefined;
  }
}
