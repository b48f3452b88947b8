/**
 * The recorder inside its worker: owns the worker's DuckDB (in memory — staging and batch
 * files are Parquet, never a .duckdb file), the open batch writers, and the checkpoint
 * sequence. The worker file only translates messages to these calls.
 */
import path from 'node:path';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../native/duckdb';
import { sqlString } from './copy-sql';
import type { SampleBatch } from '../shared/samples';
import type { BatchFileInfo, FinalClose } from './batch-file';
import { BatchWriter, type WriterOptions } from './batch-writer';
import type { BatchDescriptor } from './format';
import { recoverBatches, type RecoveryReport } from './recovery';
import { writeResume, type Checkpoint } from './staging';

/**
 * Closes whose final file is being written beside the appends of the next batch. Past this, a
 * close waits for the oldest (and the requests behind it wait: the journal holds them on disk).
 */
export const CLOSES_IN_FLIGHT = 2;

export class Recorder {
  private readonly writers = new Map<string, BatchWriter>();
  /** Final files being written, each settling (never rejecting) when its close is done. */
  private readonly closing = new Set<Promise<void>>();
  private seq = 0;
  /** The resume point recovery would use now. */
  private committed: string | null = null;

  private constructor(
    private readonly connection: DuckDBConnection,
    /** A second connection for questions that must not wait behind a long close (memory). */
    private readonly side: DuckDBConnection,
    /** A fresh connection for each background close, so a close never waits for another. */
    private readonly connect: () => Promise<DuckDBConnection>,
    private readonly closeDb: () => void,
    readonly recordings: string,
    private readonly options: Partial<WriterOptions>,
  ) {}

  /** Opens the recorder and recovers whatever an earlier process left open. */
  static async start(recordings: string, options: Partial<WriterOptions> = {}): Promise<{ recorder: Recorder; recovery: RecoveryReport }> {
    const db = await openDuckDB();
    await boundMemory(db.connection, recordings);
    const r = new Recorder(db.connection, await db.connect(), db.connect, db.close, recordings, options);
    const recovery = await recoverBatches(db.connection, recordings);
    r.seq = recovery.checkpoint?.seq ?? 0;
    r.committed = recovery.checkpoint?.resume ?? null;
    return { recorder: r, recovery };
  }

  private writer(id: string): BatchWriter {
    const w = this.writers.get(id);
    if (!w) throw Object.assign(new Error(`no open batch ${id}`), { kind: 'not-found' });
    return w;
  }

  async open(d: BatchDescriptor): Promise<void> {
    if (this.writers.has(d.id)) throw new Error(`batch ${d.id} is already open`);
    this.writers.set(d.id, await BatchWriter.open(this.connection, this.recordings, d, () => ++this.seq, this.options));
  }

  append(id: string, batch: SampleBatch, from?: number, to?: number, resume?: string | null): Promise<void> {
    return this.writer(id).append(batch, from, to, resume);
  }

  /**
   * Every open batch made durable, and `resume` recorded as the point to resume after. With
   * several batches open (a trigger pool), their parts keep the resume point already
   * committed and `resume.json` (the newest sequence) commits the new one only after all of
   * them: a crash in between resumes from the older point and loses nothing.
   */
  async checkpoint(resume: string | null): Promise<Checkpoint> {
    let last: Checkpoint | undefined;
    const several = this.writers.size > 1;
    for (const w of this.writers.values()) last = await w.checkpoint(several ? this.committed : resume);
    const cp = last && !several ? last : { seq: ++this.seq, resume };
    await writeResume(this.recordings, cp);
    this.committed = resume;
    return cp;
  }

  async tag(id: string, coil: string): Promise<void> {
    await this.writer(id).tag(coil);
  }

  /**
   * Closes a batch; with `resume`, also records where the source is, as a checkpoint does.
   * Resolves once the batch is whole on disk (its staging) and the resume point recorded —
   * requests after it may then go on — with `done`, which resolves with the written file.
   */
  async close(id: string, close: Omit<FinalClose, 'status'>, resume?: string | null): Promise<{ done: Promise<BatchFileInfo> }> {
    const w = this.writer(id);
    while (this.closing.size >= CLOSES_IN_FLIGHT) await Promise.race(this.closing);
    this.writers.delete(id);
    await w.seal();
    if (resume !== undefined) {
      await writeResume(this.recordings, { seq: ++this.seq, resume });
      this.committed = resume;
    }
    const done = (async () => {
      const connection = await this.connect();
      try {
        return await w.finish(close, connection);
      } finally {
        connection.closeSync();
      }
    })();
    const settled: Promise<void> = done.then(
      () => void this.closing.delete(settled),
      () => void this.closing.delete(settled),
    );
    this.closing.add(settled);
    return { done };
  }

  /** Waits for every close in flight. */
  async closed(): Promise<void> {
    while (this.closing.size > 0) await Promise.all(this.closing);
  }

  openBatches(): { id: string; samples: number }[] {
    return [...this.writers.values()].map((w) => ({ id: w.descriptor.id, samples: w.sampleCount }));
  }

  /** DuckDB's buffer manager: bytes held in memory and spilled to its temp folder. */
  async memory(): Promise<{ duckdbBytes: number; duckdbTempBytes: number; duckdbByTag: Record<string, number> }> {
    const rows = await queryRows(this.side, 'SELECT tag, memory_usage_bytes::DOUBLE AS mem, temporary_storage_bytes::DOUBLE AS tmp FROM duckdb_memory()');
    const duckdbByTag = Object.fromEntries(rows.filter((r) => Number(r.mem) > 0).map((r) => [String(r.tag), Number(r.mem)]));
    return { duckdbBytes: rows.reduce((n, r) => n + Number(r.mem), 0), duckdbTempBytes: rows.reduce((n, r) => n + Number(r.tmp), 0), duckdbByTag };
  }

  /** Stops without closing (after the closes in flight): open batches stay staged and are recovered on the next start. */
  async stop(): Promise<void> {
    await this.closed();
    this.writers.clear();
    this.side.closeSync();
    this.closeDb();
  }
}

/**
 * DuckDB takes up to 80 % of RAM by default and keeps what it freed: sorting a big batch at close
 * then leaves the recorder holding gigabytes for the rest of the run. A fixed limit (sorts spill
 * to a hidden folder beside the recordings, outside the batch layout) keeps its memory bounded,
 * and no file cache keeps it from creeping up to that bound.
 */
async function boundMemory(connection: DuckDBConnection, recordings: string): Promise<void> {
  const mb = Number(process.env.PARX_RECORDER_MEMORY_MB ?? DEFAULT_RECORDER_MEMORY_MB);
  const threads = Number(process.env.PARX_RECORDER_THREADS ?? DEFAULT_RECORDER_THREADS);
  const tmp = path.join(recordings, '.duckdb-tmp');
  await connection.run(`SET memory_limit = '${Math.max(64, Math.round(mb))}MB'`);
  await connection.run(`SET temp_directory = ${sqlString(tmp)}`);
  await connection.run(`SET threads = ${Math.max(1, Math.round(threads))}`);
  // Its cache of external file reads kept every staging file it read (measured: +5 MB a minute
  // over a run, up to the limit); the recorder reads each file once, so nothing is gained by it.
  await connection.run('SET enable_external_file_cache = false');
}

export const DEFAULT_RECORDER_MEMORY_MB = 768;
/**
 * A close writes its file on one DuckDB thread, in the background. Two threads finished a
 * close's COPY a little sooner but spent 2–3.5× the CPU on it (measured: 6M rows, 2.4 s of
 * CPU on 2 threads against 0.7 s on 1 — the order-preserving Parquet writer re-orders what
 * two threads produce), and that CPU is what the collector, the pump and the appends need.
 */
export const DEFAULT_RECORDER_THREADS = 1;

