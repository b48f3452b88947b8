/**
 * Condition detectors: turn samples into the times a condition starts or stops holding.
 * A threshold detector switches on above (below) the threshold and back off past the
 * hysteresis; a formula detector holds while the formula's value is non-zero. Bad samples
 * and NaN leave the state as it was (a gap is not a change). Pure apart from their own state.
 */
import type { SampleBatch } from '../../shared/samples';
import { Quality } from '../../shared/samples';
import { createStreamEvaluator, type CompiledFormula, type StreamEvaluator } from '../../shared/formula';

/** The condition's state changed at `t`; `edge` is false for the first state learnt (no previous state to change from). */
export interface Transition {
  readonly t: number;
  readonly holds: boolean;
  readonly edge: boolean;
}

export interface Detector {
  feed(batch: SampleBatch): Transition[];
}

export interface ThresholdSpec {
  readonly signal: number;
  readonly op: 'above' | 'below';
  readonly threshold: number;
  readonly hysteresis: number;
  /** Falling: the condition is "no longer above the threshold", so its onset is the falling edge. */
  readonly invert: boolean;
}

export class ThresholdDetector implements Detector {
  private on: boolean | null = null;
  constructor(private readonly spec: ThresholdSpec) {}

  /** The switch's next state for value v (hysteresis: on above threshold, off at or below threshold − hysteresis). */
  private next(on: boolean | null, v: number): boolean {
    const { op, threshold: thr, hysteresis: h } = this.spec;
    if (op === 'above') return on ? v > thr - h : v > thr;
    return on ? v < thr + h : v < thr;
  }

  feed(batch: SampleBatch): Transition[] {
    const out: Transition[] = [];
    for (let i = 0; i < batch.ts.length; i++) {
      if (batch.signal[i] !== this.spec.signal || batch.quality[i] === Quality.bad) continue;
      const v = batch.value[i] as number;
      if (Number.isNaN(v)) continue;
      const on = this.next(this.on, v);
      if (on !== this.on) out.push({ t: batch.ts[i] as number, holds: on !== this.spec.invert, edge: this.on !== null });
      this.on = on;
    }
    return out;
  }
}

export interface FormulaSpec {
  readonly formula: CompiledFormula;
  /** Signal id of each formula input, in `formula.inputs` order. */
  readonly ids: readonly number[];
  readonly master: string;
}

/** Evaluates a formula incrementally over the stream; holds while the value is non-zero. */
export class FormulaDetector implements Detector {
  private readonly stream: StreamEvaluator;
  private readonly last: Float64Array;
  private on: boolean | null = null;

  constructor(private readonly spec: FormulaSpec) {
    // A slow input must not hold the condition back for long: alignment uses what is known after 2 s.
    this.stream = createStreamEvaluator(spec.formula, { master: spec.master, maxLatencyMs: 2000 });
    this.last = new Float64Array(spec.ids.length).fill(-Infinity);
  }

  feed(batch: SampleBatch): Transition[] {
    const inputs: Record<string, { t: Float64Array; v: Float64Array }> = {};
    this.spec.ids.forEach((id, k) => {
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < batch.ts.length; i++) {
        if (batch.signal[i] !== id) continue;
        const ts = batch.ts[i] as number;
        // The stream needs ascending time per input; a late sample is dropped rather than stop the trigger.
        if (ts < (this.last[k] as number)) continue;
        this.last[k] = ts;
        t.push(ts);
        v.push(batch.quality[i] === Quality.bad ? NaN : (batch.value[i] as number));
      }
      if (t.length > 0) inputs[this.spec.formula.inputs[k] as string] = { t: Float64Array.from(t), v: Float64Array.from(v) };
    });
    const r = this.stream.push(inputs);
    const out: Transition[] = [];
    for (let i = 0; i < r.t.length; i++) {
      const v = r.v[i] as number;
      if (Number.isNaN(v)) continue;
      const on = v !== 0;
      if (on !== this.on) out.push({ t: r.t[i] as number, holds: on, edge: this.on !== null });
      this.on = on;
    }
    return out;
  }
}
