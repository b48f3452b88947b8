/**
 * Publishes recorded samples to InfluxDB as they arrive, read from the sample journal with a
 * cursor of its own — the way the recorder's pump reads it — so a historian that is down or
 * slow loses nothing the journal still holds (1 GB by default): the output waits, retries with
 * backoff and catches up. The cursor is saved in the workspace (at most once a second), and a
 * restart resends from there; InfluxDB replaces a point of the same series and time, and our
 * points are the same when resent, so resending duplicates nothing.
 *
 * What a server refuses for a reason resending cannot fix (HTTP 400: a field type conflict,
 * a malformed point) is skipped, counted and logged; everything else (no answer, 5xx, 401/403,
 * 404 database not found) is retried until it works or the configuration changes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { InfluxOutputConfig, SignalInfo } from '../shared/contract';
import type { JournalCursor, SampleJournal } from '../buffer/journal';
import { writeFileDurably } from '../recorder/durable';
import { appendLines, seriesKey } from './influx-line';

export interface InfluxOutputDeps {
  readonly journal: SampleJournal;
  readonly workspace: string;
  /** The signals that may be published (acquired and persisted derived ones). */
  readonly signals: () => readonly SignalInfo[];
  /** The production line's name, tagged on every point. */
  readonly line: () => string | undefined;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface InfluxOutputStatus {
  readonly state: 'sending' | 'retrying' | 'stopped';
  readonly url: string;
  /** Points the server accepted since the output started. */
  readonly points: number;
  /** Points the server refused (HTTP 400) and that were skipped. */
  readonly rejected: number;
  /** The last failure, until a write succeeds again. */
  readonly lastError: string | null;
  /** Time of the newest sample the server has (ms epoch), null before the first write. */
  readonly sentUpTo: number | null;
}

/** Lines per write: InfluxDB's guidance is 5,000–10,000 points per request. */
const LINES_PER_WRITE = 5000;
const POLL_MS = 250;
const SAVE_CURSOR_MS = 1000;
const TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

/** The server refused points for good (HTTP 400); `dropped` of them when it wrote the rest (a partial write). */
class Refused extends Error {
  constructor(
    message: string,
    readonly dropped: number | undefined,
  ) {
    super(message);
  }
}

/** The output's identity: a cursor saved for another server, database or measurement is not reused. */
function destination(c: InfluxOutputConfig): string {
  return JSON.stringify([c.url, c.database ?? null, c.retentionPolicy ?? null, c.bucket ?? null, c.org ?? null, c.measurement]);
}

export function writeUrl(c: InfluxOutputConfig): string {
  const base = c.url.replace(/\/+$/, '');
  const q = new URLSearchParams();
  if (c.bucket !== undefined) {
    q.set('org', c.org ?? '');
    q.set('bucket', c.bucket);
    q.set('precision', 'us');
    return `${base}/api/v2/write?${q}`;
  }
  q.set('db', c.database ?? '');
  if (c.retentionPolicy) q.set('rp', c.retentionPolicy);
  q.set('precision', 'u');
  return `${base}/write?${q}`;
}

export class InfluxOutput {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private points = 0;
  private rejected = 0;
  private lastError: string | null = null;
  private sentUpTo: number | null = null;
  private retrying = false;
  private cursorSavedAt = 0;
  private readonly cursorFile: string;

  private constructor(
    private readonly deps: InfluxOutputDeps,
    private readonly config: InfluxOutputConfig,
  ) {
    this.cursorFile = path.join(deps.workspace, 'outputs', 'influx.json');
  }

  static async start(deps: InfluxOutputDeps, config: InfluxOutputConfig): Promise<InfluxOutput> {
    const out = new InfluxOutput(deps, config);
    const cursor = await out.savedCursor();
    out.deps.log('info', `InfluxDB output to ${writeUrl(config).replace(/\?.*/, '')}: ${cursor ? 'resuming where it stopped' : 'from now on'}`);
    out.loop = out.run(cursor ?? (await deps.journal.end()));
    return out;
  }

  /** True when `config` is what this output already does. */
  sameAs(config: InfluxOutputConfig): boolean {
    return JSON.stringify(config) === JSON.stringify(this.config);
  }

  status(): InfluxOutputStatus {
    return { state: this.stopped ? 'stopped' : this.retrying ? 'retrying' : 'sending', url: this.config.url, points: this.points, rejected: this.rejected, lastError: this.lastError, sentUpTo: this.sentUpTo };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async savedCursor(): Promise<JournalCursor | null> {
    try {
      const saved = JSON.parse(await fs.readFile(this.cursorFile, 'utf8')) as { destination?: string; cursor?: JournalCursor };
      return saved.destination === destination(this.config) && saved.cursor ? saved.cursor : null;
    } catch {
      return null;
    }
  }

  private async saveCursor(cursor: JournalCursor, force = false): Promise<void> {
    if (!force && performance.now() - this.cursorSavedAt < SAVE_CURSOR_MS) return;
    this.cursorSavedAt = performance.now();
    await fs.mkdir(path.dirname(this.cursorFile), { recursive: true });
    await writeFileDurably(this.cursorFile, JSON.stringify({ destination: destination(this.config), cursor }));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** Series keys of the published signals, by signal id (rebuilt each pass: signals come and go with the configuration). */
  private keys(): Map<number, string> {
    const wanted = this.config.signals ? new Set(this.config.signals) : null;
    const line = this.deps.line();
    const keys = new Map<number, string>();
    for (const s of this.deps.signals()) {
      if (wanted && !wanted.has(s.name)) continue;
      keys.set(s.id, seriesKey(this.config.measurement, { ...(line ? { line } : {}), signal: s.name, unit: s.unit }));
    }
    return keys;
  }

  private async run(start: JournalCursor): Promise<void> {
    let cursor = start;
    while (!this.stopped) {
      try {
        cursor = await this.pass(cursor);
        await this.saveCursor(cursor);
      } catch (e) {
        this.deps.log('error', `InfluxDB output: ${(e as Error).message}`);
      }
      if (!this.stopped) await this.sleep(POLL_MS);
    }
    await this.saveCursor(cursor, true).catch(() => undefined);
  }

  /**
   * Sends everything the journal holds after `from`; returns the cursor after the last record
   * whose points the server has (a record cut short by a stop is sent again next time).
   */
  private async pass(from: JournalCursor): Promise<JournalCursor> {
    let sent = from;
    let read = from;
    const keys = this.keys();
    let lines: string[] = [];
    let newest = -Infinity;
    for await (const rec of this.deps.journal.replay(from)) {
      const { batch } = rec;
      const n = batch.ts.length;
      for (let i = 0; i < n; i++) if (batch.ts[i]! > newest && keys.has(batch.signal[i]!)) newest = batch.ts[i]!;
      for (let i = 0; i < n; ) {
        i = appendLines(batch, keys, lines, LINES_PER_WRITE, i);
        if (lines.length < LINES_PER_WRITE) break;
        if (!(await this.send(lines, newest))) return sent;
        lines = [];
      }
      read = rec.cursor;
      if (lines.length === 0) {
        sent = read;
        await this.saveCursor(sent);
      }
      if (this.stopped) return sent;
    }
    if (lines.length > 0 && !(await this.send(lines, newest))) return sent;
    return read;
  }

  /**
   * Writes the lines, retrying with backoff until the server takes them or refuses them for
   * good (both: true, go on) or the output stops (false: not sent).
   */
  private async send(lines: readonly string[], newest: number): Promise<boolean> {
    const body = lines.join('\n');
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.post(body);
        this.points += lines.length;
        if (Number.isFinite(newest)) this.sentUpTo = newest;
        if (this.retrying) this.deps.log('info', `InfluxDB output: ${this.config.url} takes points again`);
        this.retrying = false;
        this.lastError = null;
        return true;
      } catch (e) {
        const message = (e as Error).message;
        if (e instanceof Refused) {
          const dropped = Math.min(lines.length, e.dropped ?? lines.length);
          this.rejected += dropped;
          this.points += lines.length - dropped;
          this.lastError = message;
          this.deps.log('error', `InfluxDB output: ${dropped} of ${lines.length} points refused and skipped: ${message}`);
          return true;
        }
        if (!this.retrying || message !== this.lastError) this.deps.log('warn', `InfluxDB output: ${message}; retrying (the journal keeps the samples meanwhile)`);
        this.retrying = true;
        this.lastError = message;
        await this.sleep(Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempt, 6)));
      }
    }
    return false;
  }

  private async post(body: string): Promise<void> {
    const c = this.config;
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (c.token) headers['Authorization'] = `Token ${c.token}`;
    let res: Response;
    try {
      res = await fetch(writeUrl(c), { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new Error(`${c.url} does not answer (${cause ?? (e as Error).message})`);
    }
    if (res.status === 204 || res.status === 200) return;
    const text = (await res.text().catch(() => '')).slice(0, 500);
    let detail = text;
    try {
      detail = (JSON.parse(text) as { error?: string; message?: string }).error ?? (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: the text as it is
    }
    const what = `${c.url} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
    // "partial write: … dropped=27": the server kept the other points of the request.
    if (res.status === 400) throw new Refused(what, /partial write/.test(detail) ? Number(/dropped=(\d+)/.exec(detail)?.[1] ?? NaN) || undefined : undefined);
    throw new Error(what);
  }
}
