/**
 * Live derived signals: each derived signal of the workspace is evaluated incrementally
 * (one stream evaluator, with its own function state) from the live samples of its inputs,
 * and its results are published on the live bus under its own signal id — so trends, the
 * signal list, subscriptions and (when persisted) recording treat it like any signal.
 *
 * Alignment follows docs/formulas.md; live, the master timebase is the finest of the
 * inputs (so the output has the rate of its fastest input), and a master sample waits for
 * the slower inputs at most a couple of their cycles (maxLatencyMs) before it is released.
 */
import type { DerivedSignalConfig, SignalInfo, WorkspaceConfig } from '../shared/contract';
import { Quality, type SampleBatch } from '../shared/samples';
import { compileFormula, createStreamEvaluator, type CompiledFormula, type StreamEvaluator } from '../shared/formula';
import { resolveDerived } from '../shared/formula/derived';
import type { LiveBus, LiveSubscription } from './live-bus';
import type { SignalRegistry } from './signal-registry';
import { RecentSamples } from './recent-samples';

export const DERIVED_CONNECTION = '(derived)';

/** Rate at which the bus hands input samples to the evaluators (a delivery every 20 ms). */
const EVALUATE_RATE = 50;

export interface DerivedDeps {
  readonly bus: LiveBus;
  readonly registry: SignalRegistry;
  /** Persisted derived samples are appended here, so the recorder writes them like any signal. */
  readonly journal: () => { append(batch: SampleBatch): void } | undefined;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

interface Running {
  readonly config: DerivedSignalConfig;
  readonly id: number;
  readonly formula: CompiledFormula;
  /** Input signal id → input name, for picking a batch apart. */
  readonly inputs: ReadonlyMap<number, string>;
  readonly stream: StreamEvaluator;
  /** Persisted, or named by the recording section: its samples go to the journal. */
  readonly recorded: boolean;
  failed: boolean;
}

/**
 * The derived signals a configuration describes, as signal infos (with a status when
 * flagged), in dependency order: a derived signal comes after the derived signals it reads.
 */
export function describeDerived(config: WorkspaceConfig): { config: DerivedSignalConfig; info: Omit<SignalInfo, 'id'>; formula: CompiledFormula | undefined; recorded: boolean }[] {
  const byName = new Map(config.signals.map((s) => [s.name, s]));
  const named = namedByRecording(config);
  const timebase = new Map(config.signals.map((s) => [s.name, s.timebaseMs]));
  return resolveDerived((n) => byName.get(n)?.unit, config.derived ?? []).map((r) => {
    const d = r.def;
    const inputs = r.check.compiled.ok ? r.check.compiled.value.inputs : [];
    const timebases = inputs.map((n) => timebase.get(n)).filter((x): x is number => x !== undefined);
    const timebaseMs = timebases.length ? Math.min(...timebases) : 0;
    timebase.set(d.name, timebaseMs);
    const info: Omit<SignalInfo, 'id'> = {
      name: d.name,
      unit: d.unit,
      description: d.description,
      connection: DERIVED_CONNECTION,
      address: d.formula,
      timebaseMs,
      formula: d.formula,
      ...(r.status ? { status: r.status } : {}),
    };
    return { config: d, info, formula: r.check.compiled.ok && !r.status ? r.check.compiled.value : undefined, recorded: d.persist || named.has(d.name) };
  });
}

/**
 * Signals the recording section names: its signal list, trigger conditions (formula inputs
 * too) and on-change bands. Triggers judge what the sample journal holds, so a derived signal
 * named there is recorded as if `persist` were set — and the batch a trigger opens then holds
 * the signal that opened it.
 */
function namedByRecording(config: WorkspaceConfig): Set<string> {
  const r = config.recording;
  const names = new Set<string>([...(r?.signals ?? []), ...(r?.onChange ?? []).map((b) => b.signal)]);
  for (const t of r?.triggers ?? []) {
    for (const c of [t.start, t.stop]) {
      if (!c) continue;
      if (c.type !== 'formula') names.add(c.signal);
      else {
        const f = compileFormula(c.formula, { signalUnits: () => '' });
        if (f.ok) for (const n of f.value.inputs) names.add(n);
      }
    }
  }
  return names;
}

export class DerivedSignals {
  /** Recent samples of every acquired signal: what formulas.preview evaluates over. */
  readonly recent = new RecentSamples();
  private running: Running[] = [];
  private subscription: LiveSubscription | undefined;

  constructor(private readonly deps: DerivedDeps) {}

  /** Follows a new configuration: keeps the state of derived signals whose formula is unchanged. */
  apply(config: WorkspaceConfig): void {
    const { registry, bus } = this.deps;
    const described = describeDerived(config);
    registry.applyDerived(described.map((d) => ({ info: d.info, recorded: d.recorded })));
    const previous = new Map(this.running.map((r) => [r.config.name, r]));
    const next: Running[] = [];
    for (const d of described) {
      if (!d.formula) continue;
      const id = registry.byName(d.config.name)!.id;
      const old = previous.get(d.config.name);
      if (old && old.config.formula === d.config.formula && old.id === id && sameInputs(old, d.formula, registry)) {
        next.push({ ...old, config: d.config, recorded: d.recorded });
        continue;
      }
      const infos = d.formula.inputs.map((n) => registry.byName(n)!);
      const master = infos.reduce((a, b) => (b.timebaseMs < a.timebaseMs ? b : a));
      const slowest = Math.max(...infos.map((i) => i.timebaseMs));
      const stream = createStreamEvaluator(d.formula, { master: master.name, maxLatencyMs: 2 * slowest + 1000 });
      next.push({ config: d.config, id, formula: d.formula, inputs: new Map(infos.map((i) => [i.id, i.name])), stream, recorded: d.recorded, failed: false });
    }
    this.running = next;
    const acquired = registry.acquired().map((s) => s.id);
    this.recent.keep([...acquired, ...next.map((r) => r.id)]);
    this.subscription?.dispose();
    this.subscription = acquired.length
      ? bus.subscribe(acquired, EVALUATE_RATE, { deliver: (batch) => this.onSamples(batch), busy: () => false })
      : undefined;
  }

  /** Derived signals currently evaluated live (not flagged). */
  get live(): readonly string[] {
    return this.running.map((r) => r.config.name);
  }

  private onSamples(batch: SampleBatch): void {
    this.recent.add(batch);
    // In dependency order, so a derived signal that reads another gets its new samples in the same delivery.
    const batches = [batch];
    for (const r of this.running) {
      const out = this.evaluate(r, batches);
      if (!out || out.ts.length === 0) continue;
      batches.push(out);
      this.recent.add(out);
      this.deps.bus.publish(out);
      if (r.recorded) this.deps.journal()?.append(out);
    }
  }

  private evaluate(r: Running, batches: readonly SampleBatch[]): SampleBatch | undefined {
    const pushed: Record<string, { t: number[]; v: number[] }> = {};
    for (const { signal, ts, value, quality } of batches) {
      for (let i = 0; i < signal.length; i++) {
        const name = r.inputs.get(signal[i]!);
        if (name === undefined) continue;
        const p = (pushed[name] ??= { t: [], v: [] });
        p.t.push(ts[i]!);
        p.v.push(quality[i] === Quality.bad ? NaN : value[i]!);
      }
    }
    const names = Object.keys(pushed);
    if (names.length === 0) return undefined;
    const inputs = Object.fromEntries(names.map((n) => [n, { t: Float64Array.from(pushed[n]!.t), v: Float64Array.from(pushed[n]!.v) }]));
    let result;
    try {
      result = r.stream.push(inputs);
      r.failed = false;
    } catch (e) {
      // Out-of-order time after a reconnect, or a window over its limit: start over rather than stop.
      if (!r.failed) this.deps.log('warn', `derived signal "${r.config.name}": ${(e as Error).message}; its state was reset`);
      r.failed = true;
      r.stream.reset();
      return undefined;
    }
    const n = result.t.length;
    const q = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (result.v[i] !== result.v[i]) q[i] = Quality.bad;
    return { signal: new Uint32Array(n).fill(r.id), ts: Float64Array.from(result.t), value: Float64Array.from(result.v), quality: q };
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.running = [];
  }
}

function sameInputs(old: Running, f: CompiledFormula, registry: SignalRegistry): boolean {
  const ids = f.inputs.map((n) => registry.byName(n)?.id);
  return ids.length === old.inputs.size && ids.every((id) => id !== undefined && old.inputs.has(id));
}
