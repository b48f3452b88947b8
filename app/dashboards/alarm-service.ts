/**
 * Alarms in the engine: definitions from workspace/alarms.json, evaluated on every live
 * sample (limit alarms directly, formula alarms through the formula stream evaluator), each
 * change of an occurrence appended to workspace/alarms-history.jsonl and broadcast as
 * `alarm.changed`. On start the history is read back, so open alarms survive a restart.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SampleBatch } from '../shared/samples';
import { Quality } from '../shared/samples';
import { compileFormula, createStreamEvaluator, type StreamEvaluator } from '../shared/formula';
import {
  ALARMS_FILE_VERSION,
  AlarmOccurrenceSchema,
  AlarmsFileSchema,
  occurrenceClosed,
  occurrenceState,
  type AlarmDefinition,
  type AlarmOccurrence,
} from '../shared/dashboards/alarm-schema';
import { describeProblems, zodProblems, type EventName, type EventPayload } from '../shared/contract';
import { IDLE, stepFormula, stepLimit, type AlarmChange, type AlarmRuntime } from './alarm-state';
import { writeAtomic } from './dashboard-store';
import type { LiveSink, LiveSubscription } from '../engine/live-bus';

export interface AlarmHost {
  readonly workspace: string;
  signalByName(name: string): { id: number; name: string; unit: string } | undefined;
  subscribe(ids: readonly number[], maxRate: number, sink: LiveSink): LiveSubscription;
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface AlarmProblem {
  alarm: string;
  message: string;
}

interface Armed {
  def: AlarmDefinition;
  runtime: AlarmRuntime;
  /** Limit alarms: the signal's id. */
  signal?: number;
  /** Formula alarms: the evaluator and its inputs by signal id. */
  evaluator?: StreamEvaluator;
  inputs?: Map<number, string>;
}

const HISTORY_TAIL_BYTES = 4_000_000;
const KEEP_CLOSED = 1000;
const RETRY_MS = 5000;

export class AlarmService {
  private definitions: AlarmDefinition[] = [];
  private armed: Armed[] = [];
  /** Limit alarms by the signal they watch. */
  private readonly bySignal = new Map<number, Armed[]>();
  private problems: AlarmProblem[] = [];
  private readonly occurrences = new Map<string, AlarmOccurrence>();
  /** Every occurrence in the history file (its final state), for history(); read incrementally. */
  private readonly archive = new Map<string, AlarmOccurrence>();
  private archivedBytes = 0;
  private subscription: LiveSubscription | undefined;
  private retry: ReturnType<typeof setInterval> | undefined;
  private writes: Promise<void> = Promise.resolve();
  readonly file: string;
  readonly historyFile: string;

  constructor(private readonly host: AlarmHost) {
    this.file = path.join(host.workspace, 'alarms.json');
    this.historyFile = path.join(host.workspace, 'alarms-history.jsonl');
  }

  static async start(host: AlarmHost): Promise<AlarmService> {
    const s = new AlarmService(host);
    await s.readHistory();
    await s.readDefinitions();
    s.arm();
    // Signals named by an alarm may appear later (a configuration saved afterwards): look again now and then.
    s.retry = setInterval(() => {
      if (s.problems.some((p) => p.message.startsWith('no signal named'))) s.arm();
    }, RETRY_MS);
    s.retry.unref?.();
    return s;
  }

  private async readDefinitions(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch {
      return; // no alarms defined yet
    }
    try {
      const parsed = AlarmsFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) this.definitions = parsed.data.alarms;
      else this.host.log('error', `alarms.json is invalid (${describeProblems(zodProblems(parsed.error))}); no alarms run until it is fixed — nothing was overwritten`);
    } catch (e) {
      this.host.log('error', `alarms.json is not JSON (${(e as Error).message}); no alarms run until it is fixed — nothing was overwritten`);
    }
  }

  private async readHistory(): Promise<void> {
    let text = '';
    try {
      const h = await fs.open(this.historyFile, 'r');
      try {
        const { size } = await h.stat();
        const from = Math.max(0, size - HISTORY_TAIL_BYTES);
        const buf = Buffer.alloc(size - from);
        await h.read(buf, 0, buf.length, from);
        text = buf.toString('utf8');
        if (from > 0) text = text.slice(text.indexOf('\n') + 1);
      } finally {
        await h.close();
      }
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const o = AlarmOccurrenceSchema.safeParse(JSON.parse(line));
        if (o.success) this.occurrences.set(o.data.key, o.data);
      } catch {
        // a torn last line after a crash: skip it, the lines before are whole
      }
    }
    this.trimClosed();
  }

  /** (Re)builds what runs: a runtime per enabled definition, one bus subscription for every signal they read. */
  private arm(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    const problems: AlarmProblem[] = [];
    const armed: Armed[] = [];
    for (const def of this.definitions.filter((d) => d.enabled)) {
      const open = this.openOf(def.id);
      const runtime: AlarmRuntime = open && open.clearedAt === null ? { holding: true, pendingSince: null, active: true } : IDLE;
      if (def.kind === 'limit') {
        const sig = this.host.signalByName(def.signal);
        if (!sig) problems.push({ alarm: def.id, message: `no signal named "${def.signal}"` });
        else armed.push({ def, runtime, signal: sig.id });
        continue;
      }
      const compiled = compileFormula(def.formula, { signalUnits: (n) => this.host.signalByName(n)?.unit });
      if (!compiled.ok) {
        const missing = /unknown signal|no signal/i.test(compiled.error.message);
        problems.push({ alarm: def.id, message: missing ? `no signal named in formula: ${compiled.error.message}` : `formula: ${compiled.error.message}` });
        continue;
      }
      const inputs = new Map<number, string>();
      for (const name of compiled.value.inputs) {
        const sig = this.host.signalByName(name);
        if (sig) inputs.set(sig.id, name);
      }
      armed.push({ def, runtime, evaluator: createStreamEvaluator(compiled.value, { maxLatencyMs: 2000 }), inputs });
    }
    this.armed = armed;
    this.problems = problems;
    this.bySignal.clear();
    for (const a of armed) if (a.signal !== undefined) this.bySignal.set(a.signal, [...(this.bySignal.get(a.signal) ?? []), a]);
    const ids = new Set<number>();
    for (const a of armed) {
      if (a.signal !== undefined) ids.add(a.signal);
      for (const id of a.inputs?.keys() ?? []) ids.add(id);
    }
    if (ids.size > 0) this.subscription = this.host.subscribe([...ids], 10, { deliver: (b) => this.ingest(b), busy: () => false });
  }

  /** Every sample of the batch, in order, through the alarms that read its signal. */
  ingest(batch: SampleBatch): void {
    const { signal, ts, value, quality } = batch;
    for (let i = 0; i < signal.length; i++) {
      const alarms = this.bySignal.get(signal[i] as number);
      if (!alarms) continue;
      const v = quality[i] === Quality.bad ? NaN : (value[i] as number);
      for (const a of alarms) {
        const r = stepLimit(a.runtime, a.def as Extract<AlarmDefinition, { kind: 'limit' }>, ts[i] as number, v);
        a.runtime = r.next;
        if (r.change) this.changed(a, r.change, ts[i] as number, v);
      }
    }
    for (const a of this.armed) if (a.evaluator && a.inputs) this.ingestFormula(a, batch);
  }

  private ingestFormula(a: Armed, batch: SampleBatch): void {
    const cols: Record<string, { t: number[]; v: number[] }> = {};
    for (let i = 0; i < batch.signal.length; i++) {
      const name = a.inputs?.get(batch.signal[i] as number);
      if (name === undefined) continue;
      const c = (cols[name] ??= { t: [], v: [] });
      c.t.push(batch.ts[i] as number);
      c.v.push(batch.quality[i] === Quality.bad ? NaN : (batch.value[i] as number));
    }
    const names = Object.keys(cols);
    if (names.length === 0 || !a.evaluator) return;
    const inputs = Object.fromEntries(names.map((n) => [n, { t: Float64Array.from(cols[n]!.t), v: Float64Array.from(cols[n]!.v) }]));
    let out;
    try {
      out = a.evaluator.push(inputs);
    } catch (e) {
      a.evaluator.reset();
      this.host.log('warn', `alarm ${a.def.id}: ${(e as Error).message}; its formula starts over`);
      return;
    }
    for (let k = 0; k < out.t.length; k++) {
      const r = stepFormula(a.runtime, a.def.onDelayMs, out.t[k] as number, out.v[k] as number);
      a.runtime = r.next;
      if (r.change) this.changed(a, r.change, out.t[k] as number, NaN);
    }
  }

  private openOf(alarm: string): AlarmOccurrence | undefined {
    let found: AlarmOccurrence | undefined;
    for (const o of this.occurrences.values()) if (o.alarm === alarm && o.clearedAt === null && (!found || o.activeAt > found.activeAt)) found = o;
    return found;
  }

  private changed(a: Armed, change: Exclude<AlarmChange, null>, t: number, value: number): void {
    if (change === 'raise') {
      const o: AlarmOccurrence = {
        key: `${a.def.id}@${Math.round(t)}`,
        alarm: a.def.id,
        message: a.def.message,
        priority: a.def.priority,
        value: Number.isFinite(value) ? value : null,
        state: 'active',
        activeAt: t,
        ackAt: null,
        ackComment: null,
        clearedAt: null,
      };
      this.record(o);
      return;
    }
    const open = this.openOf(a.def.id);
    if (open) this.record({ ...open, clearedAt: t, state: occurrenceState({ ...open, clearedAt: t }) });
  }

  private record(o: AlarmOccurrence): void {
    this.occurrences.set(o.key, o);
    const line = `${JSON.stringify(o)}\n`;
    this.writes = this.writes
      .then(() => fs.appendFile(this.historyFile, line))
      .catch((e: unknown) => this.host.log('error', `alarm history not written: ${(e as Error).message}`));
    this.host.broadcast('alarm.changed', o);
    this.trimClosed();
  }

  private trimClosed(): void {
    const closed = [...this.occurrences.values()].filter(occurrenceClosed);
    if (closed.length <= KEEP_CLOSED) return;
    closed.sort((x, y) => x.activeAt - y.activeAt);
    for (const o of closed.slice(0, closed.length - KEEP_CLOSED)) this.occurrences.delete(o.key);
  }

  list(limit: number): { definitions: AlarmDefinition[]; occurrences: AlarmOccurrence[]; problems: AlarmProblem[] } {
    const all = [...this.occurrences.values()].sort((x, y) => Number(occurrenceClosed(x)) - Number(occurrenceClosed(y)) || y.activeAt - x.activeAt);
    return { definitions: this.definitions, occurrences: all.slice(0, limit), problems: this.problems };
  }

  async define(definitions: AlarmDefinition[]): Promise<{ file: string; problems: AlarmProblem[] }> {
    const checked = AlarmsFileSchema.safeParse({ version: ALARMS_FILE_VERSION, alarms: definitions });
    if (!checked.success) throw new Error(describeProblems(zodProblems(checked.error)));
    await writeAtomic(this.file, `${JSON.stringify(checked.data, null, 2)}\n`);
    this.definitions = checked.data.alarms;
    this.arm();
    return { file: this.file, problems: this.problems };
  }

  ack(key: string, comment: string, now = Date.now()): AlarmOccurrence | undefined {
    const o = this.occurrences.get(key);
    if (!o) return undefined;
    if (o.ackAt !== null) return o;
    const next = { ...o, ackAt: now, ackComment: comment };
    const acked = { ...next, state: occurrenceState(next) };
    this.record(acked);
    return acked;
  }

  /**
   * Occurrences active at any time in [from, to] (raised before `to`, cleared after `from` or
   * still open), oldest first, at most `limit`: the alarm markers of an analysis trend. Served
   * from the whole history file (the in-memory map keeps only recent closed ones), which is
   * read incrementally — it only grows — so a trend's every zoom does not re-read it.
   */
  async history(from: number, to: number, limit: number): Promise<AlarmOccurrence[]> {
    await this.writes;
    await this.catchUpArchive();
    const all = new Map(this.archive);
    // Changes not yet on disk cannot exist (we awaited the writes), but the map also holds what a failed append lost.
    for (const o of this.occurrences.values()) if (!all.has(o.key)) all.set(o.key, o);
    return [...all.values()]
      .filter((o) => o.activeAt <= to && (o.clearedAt === null || o.clearedAt >= from))
      .sort((x, y) => x.activeAt - y.activeAt)
      .slice(0, limit);
  }

  /** Reads the whole lines the history file gained since the last call into `archive` (last line of a key wins). */
  private async catchUpArchive(): Promise<void> {
    let h: fs.FileHandle;
    try {
      h = await fs.open(this.historyFile, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    try {
      const { size } = await h.stat();
      if (size < this.archivedBytes) {
        // Replaced by a shorter file (restored from a backup): start over.
        this.archive.clear();
        this.archivedBytes = 0;
      }
      if (size === this.archivedBytes) return;
      const buf = Buffer.alloc(size - this.archivedBytes);
      await h.read(buf, 0, buf.length, this.archivedBytes);
      // Whole lines only: a line still being written is read next time.
      const whole = buf.lastIndexOf(0x0a) + 1;
      this.archivedBytes += whole;
      for (const line of buf.subarray(0, whole).toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const o = AlarmOccurrenceSchema.safeParse(JSON.parse(line));
          if (o.success) this.archive.set(o.data.key, o.data);
        } catch {
          // a torn line after a crash: the lines around it are whole
        }
      }
    } finally {
      await h.close();
    }
  }

  /** Waits for history lines still being appended (tests, shutdown). */
  async flush(): Promise<void> {
    await this.writes;
  }

  async stop(): Promise<void> {
    if (this.retry) clearInterval(this.retry);
    this.subscription?.dispose();
    await this.flush();
  }
}
