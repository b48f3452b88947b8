/**
 * The recording section's trigger pool and on-change filter (docs/triggers.md): declared
 * here, composed into RecordingSchema in config.ts, checked against the signal list by
 * checkRecordingTriggers (unknown names and formulas that do not compile are located errors).
 */
import { z } from 'zod';
import { compileFormula } from '../formula/compile';

const signalName = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');
const ms = (max: number, what: string) => z.number().int('must be a whole number of ms').min(0, 'must not be negative').max(max, `must be at most ${what}`);
const minDurationMs = ms(3_600_000, 'one hour').default(0);

/** A signal compared with a threshold; while it holds. Hysteresis widens the release point (above: released at ≤ threshold − hysteresis). */
export const LevelConditionSchema = z
  .object({
    type: z.literal('level'),
    signal: signalName,
    op: z.enum(['above', 'below']).default('above'),
    threshold: z.number().finite('must be a number'),
    hysteresis: z.number().finite().min(0, 'must not be negative').default(0),
    minDurationMs,
  })
  .strict();

/** The moment a signal crosses a threshold upwards (rising) or downwards (falling); a bit: threshold 0.5. */
export const EdgeConditionSchema = z
  .object({
    type: z.literal('edge'),
    signal: signalName,
    edge: z.enum(['rising', 'falling']).default('rising'),
    threshold: z.number().finite('must be a number').default(0.5),
    hysteresis: z.number().finite().min(0, 'must not be negative').default(0),
    minDurationMs,
  })
  .strict();

/** A formula (docs/formulas.md) that holds while its value is non-zero. */
export const FormulaConditionSchema = z
  .object({
    type: z.literal('formula'),
    formula: z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters'),
    minDurationMs,
  })
  .strict();

export const TriggerConditionSchema = z.discriminatedUnion('type', [LevelConditionSchema, EdgeConditionSchema, FormulaConditionSchema]);

/** One trigger of the pool: its own batches, from (start − pre) to (stop + post), then dead time. */
export const TriggerSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    enabled: z.boolean().default(true),
    start: TriggerConditionSchema,
    /** When absent: a level or formula start stops when it no longer holds; an edge start records only its pre/post window. */
    stop: TriggerConditionSchema.optional(),
    preMs: ms(3_600_000, 'one hour').default(0),
    postMs: ms(3_600_000, 'one hour').default(0),
    /** After a batch closes, the trigger waits this long before it can start again. */
    deadMs: ms(86_400_000, 'one day').default(0),
  })
  .strict();

/** On change: a sample of the signal is recorded when it moved more than the deadband from the last recorded one, or after maxIntervalMs. */
export const OnChangeBandSchema = z
  .object({
    signal: signalName,
    deadband: z.number().finite().min(0, 'must not be negative').default(0),
    deadbandType: z.enum(['absolute', 'percent']).default('absolute'),
    /** Heartbeat: a constant signal is still written at least this often. */
    maxIntervalMs: z.number().int('must be a whole number of ms').min(1, 'must be at least 1 ms').max(86_400_000, 'must be at most one day').default(60_000),
  })
  .strict();

export type TriggerCondition = z.infer<typeof TriggerConditionSchema>;
export type TriggerConfig = z.infer<typeof TriggerSchema>;
export type OnChangeBand = z.infer<typeof OnChangeBandSchema>;

interface TriggerSection {
  readonly signals?: readonly string[] | undefined;
  readonly triggers?: readonly TriggerConfig[] | undefined;
  readonly onChange?: readonly OnChangeBand[] | undefined;
}

/** Compiles a formula condition against the configured signals' units; an unknown signal is a compile error. */
export function compileCondition(formula: string, unitOf: (name: string) => string | undefined) {
  return compileFormula(formula, { signalUnits: unitOf });
}

/** Located problems of the recording section's signals, triggers and on-change bands (config superRefine). */
export function checkRecordingTriggers(r: TriggerSection | undefined, signals: readonly { name: string; unit: string }[], ctx: z.RefinementCtx): void {
  if (!r) return;
  const units = new Map(signals.map((s) => [s.name, s.unit]));
  const known = (name: string, path: (string | number)[]) => {
    if (!units.has(name)) ctx.addIssue({ code: 'custom', path: ['recording', ...path], message: `no signal named "${name}"` });
  };
  r.signals?.forEach((s, i) => known(s, ['signals', i]));
  const names = new Set<string>();
  r.triggers?.forEach((t, i) => {
    if (names.has(t.name)) ctx.addIssue({ code: 'custom', path: ['recording', 'triggers', i, 'name'], message: `duplicate trigger name "${t.name}"` });
    names.add(t.name);
    for (const key of ['start', 'stop'] as const) {
      const c = t[key];
      if (!c) continue;
      if (c.type === 'formula') {
        const compiled = compileCondition(c.formula, (n) => units.get(n));
        if (!compiled.ok) ctx.addIssue({ code: 'custom', path: ['recording', 'triggers', i, key, 'formula'], message: `formula: ${compiled.error.message}` });
      } else known(c.signal, ['triggers', i, key, 'signal']);
    }
  });
  const banded = new Set<string>();
  r.onChange?.forEach((b, i) => {
    known(b.signal, ['onChange', i, 'signal']);
    if (banded.has(b.signal)) ctx.addIssue({ code: 'custom', path: ['recording', 'onChange', i, 'signal'], message: `"${b.signal}" has a deadband already` });
    banded.add(b.signal);
  });
}
