/**
 * One open batch: samples go into an in-memory DuckDB table through the fast appender; past
 * `memoryRows` (or at a checkpoint) the table spills to a durable staging part, so memory
 * stays bounded and a crash loses nothing checkpointed. Closing writes the final file
 * atomically and removes the staging. Runs where its DuckDB connection lives (the worker).
 */
import fs from 'node:fs/promises';
import type { DuckDBConnection } from '../../native/duckdb';
import { ColumnAppender } from '../../native/duckdb-appender';
import type { SampleBatch } from '../shared/samples';
import { STAGE_COLUMNS } from './copy-sql';
import { writeBatchFile, type BatchFileInfo, type FinalClose } from './batch-file';
import type { BatchDescriptor } from './format';
import { stagedSource, writeDescriptor, writePart, type Checkpoint } from './staging';
import { SampleStats } from './sample-stats';

export interface WriterOptions {
  /** Rows held in memory before spilling to a staging part (≈ 21 bytes each). */
  readonly memoryRows: number;
}

export const DEFAULT_WRITER: WriterOptions = { memoryRows: 2_000_000 };

let tables = 0;

export class BatchWriter {
  private appender: ColumnAppender | undefined;
  private readonly parts: string[] = [];
  private memoryRows = 0;
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
    private readonly table: string,
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
    const table = `stage_${++tables}`;
    await connection.run(`CREATE TABLE ${table} (${STAGE_COLUMNS})`);
    const w = new BatchWriter(connection, recordings, descriptor, dir, table, { ...DEFAULT_WRITER, ...options }, nextSeq);
    w.appender = await ColumnAppender.open(connection, table, ['double', 'uinteger', 'double', 'utinyint']);
    return w;
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
    const cols = from === 0 && to === batch.ts.length ? batch : { ts: batch.ts.subarray(from, to), signal: batch.signal.subarray(from, to), value: batch.value.subarray(from, to), quality: batch.quality.subarray(from, to) };
    this.appender?.append([cols.ts, cols.signal, cols.value, cols.quality], n);
    this.stats.add(batch, from, to);
    this.memoryRows += n;
    this.rows += n;
    if (resume !== undefined) this.resume = resume;
    if (this.memoryRows >= this.options.memoryRows) await this.spill(this.resume);
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
    this.appender?.close();
    this.parts.push(await writePart(this.connection, this.table, this.dir, this.parts.length + 1, cp));
    await this.connection.run(`DELETE FROM ${this.table}`);
    this.memoryRows = 0;
    this.appender = await ColumnAppender.open(this.connection, this.table, ['double', 'uinteger', 'double', 'utinyint']);
    return cp;
  }

  /** Writes the final file and removes the staging; the file is whole and renamed when this resolves. */
  async close(close: Omit<FinalClose, 'status'>): Promise<BatchFileInfo> {
    if (this.closed) throw new Error(`batch ${this.descriptor.id} is already closed`);
    this.closed = true;
    this.appender?.close();
    this.appender = undefined;
    const info = await writeBatchFile(this.connection, this.recordings, this.descriptor, stagedSource(this.parts, this.table), { ...close, status: 'complete' }, this.stats.result(this.descriptor));
    await this.drop();
    return info;
  }

  /** Forgets the batch without writing it (tests, or a batch that is refused). */
  async discard(): Promise<void> {
    this.closed = true;
    this.appender?.close();
    this.appender = undefined;
    await this.drop();
  }

  private async drop(): Promise<void> {
    await this.connection.run(`DROP TABLE IF EXISTS ${this.table}`);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
