/**
 * One open batch: samples are held in typed arrays in memory; past `memoryRows` (or at a
 * checkpoint) they are sorted by signal and written as a durable staging part (plain
 * Parquet written from the arrays, part-file.ts), so memory stays bounded and a crash loses
 * nothing checkpointed. Closing interleaves the sorted parts into one file sorted by signal
 * then time (sorted-parts.ts) and has DuckDB write the final file from it without a sort,
 * atomically, then removes the staging. Runs where its DuckDB connection lives (the worker).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '../../native/duckdb';
import type { SampleBatch } from '../shared/samples';
import { sqlString } from './copy-sql';
import { writeBatchFile, type BatchFileInfo, type FinalClose } from './batch-file';
import type { BatchDescriptor } from './format';
import { partName, stagedSource, writeDescriptor, type Checkpoint } from './staging';
import { SampleStats } from './sample-stats';
import { publish } from './durable';
import { mergeable, mergeSortedParts, RowBuffer, SignalSorter, writeSortedPart, type StagedPart } from './sorted-parts';

export interface WriterOptions {
  /** Rows held in memory before spilling to a staging part (≈ 21 bytes each, twice that while a part is written). */
  readonly memoryRows: number;
}

export const DEFAULT_WRITER: WriterOptions = { memoryRows: 2_000_000 };

/** The interleaved parts, beside them in the staging folder; a `.tmp`, so recovery deletes a leftover one. */
const MERGED = 'merged.parquet.tmp';

export class BatchWriter {
  private readonly buffer = new RowBuffer();
  private readonly sorter = new SignalSorter();
  private readonly parts: StagedPart[] = [];
  /** The caller's position after the last sample appended, written with every part. */
  private resume: string | null = null;
  private rows = 0;
  private closed = false;
  private readonly stats = new SampleStats();

  private constructor(
    private readonly connection: DuckDBConnection,
    readonly recordings: string,
    /** Replaced (never mutated) when a coil id is learnt after opening. */
    public descriptor: BatchDescriptor,
    private readonly dir: string,
    private readonly options: WriterOptions,
    /** Hands out checkpoint sequence numbers shared by every batch of the recorder. */
    private readonly nextSeq: () => number,
  ) {}

  static async open(
    connection: DuckDBConnection,
    recordings: string,
    descriptor: BatchDescriptor,
    nextSeq: () => number,
    options: Partial<WriterOptions> = {},
  ): Promise<BatchWriter> {
    const dir = await writeDescriptor(recordings, descriptor);
    return new BatchWriter(connection, recordings, descriptor, dir, { ...DEFAULT_WRITER, ...options }, nextSeq);
  }

  get sampleCount(): number {
    return this.rows;
  }

  /**
   * Appends rows [from, to) of the batch (all of it by default). `resume`, when given, is the
   * caller's position after these samples (e.g. the journal cursor): whatever part holds them
   * records it, so recovery knows exactly where to resume, also after a spill.
   */
  async append(batch: SampleBatch, from = 0, to = batch.ts.length, resume?: string | null): Promise<void> {
    if (this.closed) throw new Error(`batch ${this.descriptor.id} is closed`);
    const n = to - from;
    if (n <= 0) return;
    this.buffer.add(batch.ts, batch.signal, batch.value, batch.quality, from, to);
    this.stats.add(batch, from, to);
    this.rows += n;
    if (resume !== undefined) this.resume = resume;
    if (this.buffer.rows >= this.options.memoryRows) await this.spill(this.resume);
  }

  /** Stages the coil id learnt after opening in batch.json, so a recovered file is named and tagged with it. */
  async tag(coil: string): Promise<void> {
    this.descriptor = { ...this.descriptor, coil };
    await writeDescriptor(this.recordings, this.descriptor);
  }

  /** Makes everything appended so far durable, together with `resume` (the caller's position, e.g. a journal cursor). */
  async checkpoint(resume: string | null): Promise<Checkpoint> {
    this.resume = resume;
    return this.spill(resume);
  }

  private async spill(resume: string | null): Promise<Checkpoint> {
    const cp: Checkpoint = { seq: this.nextSeq(), resume };
    const file = path.join(this.dir, partName(this.parts.length + 1));
    const tmp = `${file}.tmp`;
    const { cols, starts } = this.sorter.sort(this.buffer);
    const part = await writeSortedPart(tmp, cols, this.buffer.rows, starts, { 'parx.checkpoint': JSON.stringify(cp) });
    await publish(tmp, file);
    this.parts.push({ ...part, file });
    this.buffer.rows = 0;
    return cp;
  }

  /**
   * The first half of a close: whatever is still in memory becomes a durable part, so from
   * here on the batch is whole on disk (a crash while the final file is written recovers it
   * from its parts) and later checkpoints may move the resume point past it.
   */
  async seal(): Promise<void> {
    if (this.closed) throw new Error(`batch ${this.descriptor.id} is already closed`);
    this.closed = true;
    if (this.buffer.rows > 0) await this.spill(this.resume);
    this.buffer.release();
    this.sorter.release();
  }

  /**
   * The second half: writes the final file on `connection` (another connection than the one
   * appends use may run it beside them) and removes the staging; the file is whole and
   * renamed when this resolves.
   */
  async finish(close: Omit<FinalClose, 'status'>, connection: DuckDBConnection = this.connection): Promise<BatchFileInfo> {
    const known = this.stats.result(this.descriptor);
    let source = stagedSource(this.parts.map((p) => p.file));
    let presorted = false;
    const merged = path.join(this.dir, MERGED);
    if (this.sorter.ordered && mergeable(this.parts)) {
      if (this.parts.length === 1) source = `(SELECT ts, signal, value, quality FROM read_parquet(${sqlString((this.parts[0] as StagedPart).file)}))`;
      else {
        await mergeSortedParts(this.parts, merged);
        source = `(SELECT ts, signal, value, quality FROM read_parquet(${sqlString(merged)}))`;
      }
      presorted = true;
    }
    const info = await writeBatchFile(connection, this.recordings, this.descriptor, source, { ...close, status: 'complete' }, known, presorted);
    await this.drop();
    return info;
  }

  /** Writes the final file and removes the staging; the file is whole and renamed when this resolves. */
  async close(close: Omit<FinalClose, 'status'>): Promise<BatchFileInfo> {
    await this.seal();
    return this.finish(close);
  }

  /** Forgets the batch without writing it (tests, or a batch that is refused). */
  async discard(): Promise<void> {
    this.closed = true;
    this.buffer.release();
    this.sorter.release();
    await this.drop();
  }

  private async drop(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
