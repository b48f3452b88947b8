/**
 * The trigger pool as one stateful, I/O-free object: configuration resolved to detectors,
 * the on-change filter and the state machine. The trigger worker runs it; tests run it
 * directly. Fed journal batches in order, it answers which samples the on-change filter
 * keeps and what the triggers did.
 */
import { err, ok, parxError, type Result } from '../../shared/result';
import type { SampleBatch } from '../../shared/samples';
import type { OnChangeBand, TriggerCondition, TriggerConfig } from '../../shared/contract/trigger-config';
import { compileCondition } from '../../shared/contract/trigger-config';
import { DeadbandFilter } from './deadband';
import { FormulaDetector, ThresholdDetector, type Detector } from './conditions';
import { TriggerMachine, type CondTransition, type ConditionUse, type TriggerEvent, type TriggerSpec, type TriggerStatus } from './machine';

export interface PoolSignal {
  readonly id: number;
  readonly name: string;
  readonly unit: string;
  readonly timebaseMs: number;
}

export interface PoolConfig {
  readonly triggers: readonly TriggerConfig[];
  readonly onChange: readonly OnChangeBand[];
  readonly signals: readonly PoolSignal[];
}

export interface PoolStep {
  /** 1 = record the sample; null when no on-change filter is configured. */
  readonly keep: Uint8Array<ArrayBuffer> | null;
  readonly events: TriggerEvent[];
}

/** The condition in the plant's words, for batch metadata and the status list. */
export function describeCondition(c: TriggerCondition): string {
  switch (c.type) {
    case 'level':
      return `${c.signal} ${c.op} ${c.threshold}${c.hysteresis ? ` (hysteresis ${c.hysteresis})` : ''}`;
    case 'edge':
      return `${c.signal} ${c.edge} through ${c.threshold}`;
    case 'formula':
      return `formula ${c.formula}`;
  }
}

export class TriggerPool {
  private constructor(
    private readonly detectors: readonly Detector[],
    private readonly machine: TriggerMachine,
    private readonly filter: DeadbandFilter,
  ) {}

  get names(): string[] {
    return this.machine.specs.map((s) => s.name);
  }

  static create(cfg: PoolConfig): Result<TriggerPool> {
    const byName = new Map(cfg.signals.map((s) => [s.name, s]));
    const detectors: Detector[] = [];
    const specs: TriggerSpec[] = [];
    const use = (c: TriggerCondition, where: string): Result<ConditionUse> => {
      const text = describeCondition(c);
      if (c.type === 'formula') {
        const f = compileCondition(c.formula, (n) => byName.get(n)?.unit);
        if (!f.ok) return err(parxError('invalid-config', `${where}: formula: ${f.error.message}`, { path: `${where}.formula` }));
        const inputs = f.value.inputs.map((n) => byName.get(n) as PoolSignal);
        // The fastest input sets the formula's timebase, so the condition is judged as often as possible.
        const master = [...inputs].sort((a, b) => a.timebaseMs - b.timebaseMs)[0] as PoolSignal;
        detectors.push(new FormulaDetector({ formula: f.value, ids: inputs.map((s) => s.id), master: master.name }));
        return ok({ cond: detectors.length - 1, mode: 'level', minDurationMs: c.minDurationMs, text });
      }
      const s = byName.get(c.signal);
      if (!s) return err(parxError('invalid-config', `${where}: no signal named "${c.signal}"`, { path: `${where}.signal` }));
      if (c.type === 'level') detectors.push(new ThresholdDetector({ signal: s.id, op: c.op, threshold: c.threshold, hysteresis: c.hysteresis, invert: false }));
      else detectors.push(new ThresholdDetector({ signal: s.id, op: 'above', threshold: c.threshold, hysteresis: c.hysteresis, invert: c.edge === 'falling' }));
      return ok({ cond: detectors.length - 1, mode: c.type === 'edge' ? 'edge' : 'level', minDurationMs: c.minDurationMs, text });
    };
    for (const [i, t] of cfg.triggers.entries()) {
      if (!t.enabled) continue;
      const start = use(t.start, `recording.triggers[${i}].start`);
      if (!start.ok) return start;
      const stop = t.stop ? use(t.stop, `recording.triggers[${i}].stop`) : ok(null);
      if (!stop.ok) return stop;
      specs.push({ name: t.name, start: start.value, stop: stop.value, preMs: t.preMs, postMs: t.postMs, deadMs: t.deadMs });
    }
    const bands = [];
    for (const [i, b] of cfg.onChange.entries()) {
      const s = byName.get(b.signal);
      if (!s) return err(parxError('invalid-config', `recording.onChange[${i}]: no signal named "${b.signal}"`, { path: `recording.onChange[${i}].signal` }));
      bands.push({ signal: s.id, deadband: b.deadband, percent: b.deadbandType === 'percent', maxIntervalMs: b.maxIntervalMs });
    }
    return ok(new TriggerPool(detectors, new TriggerMachine(specs, detectors.length), new DeadbandFilter(bands)));
  }

  feed(batch: SampleBatch): PoolStep {
    const transitions: CondTransition[] = [];
    this.detectors.forEach((d, cond) => {
      for (const t of d.feed(batch)) transitions.push({ ...t, cond });
    });
    // Stable: transitions at the same time keep detector order.
    transitions.sort((a, b) => a.t - b.t);
    let now = -Infinity;
    for (let i = 0; i < batch.ts.length; i++) if ((batch.ts[i] as number) > now) now = batch.ts[i] as number;
    return { keep: this.filter.active ? this.filter.mask(batch) : null, events: this.machine.advance(transitions, now) };
  }

  status(): TriggerStatus[] {
    return this.machine.status();
  }
}
