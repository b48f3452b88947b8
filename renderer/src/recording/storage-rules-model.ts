/**
 * The Storage rules pane's pure parts: the engine's problems (paths like
 * `recording.triggers[0].preMs`) sorted to the form that shows them, and new items with
 * the schema's defaults. Tested without a browser.
 */
import { BatchingRuleSchema } from '../../../app/shared/contract';
import { OnChangeBandSchema, TriggerConditionSchema, TriggerSchema } from '../../../app/shared/contract/trigger-config';
import { formFields, initialValues, type FormField } from '../forms/schema-fields';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Problems under `prefix`, by the first key below it: what one SchemaForm shows at its fields. */
export function problemsUnder(problems: readonly Problem[], prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    if (!p.path.startsWith(`${prefix}.`)) continue;
    const key = p.path.slice(prefix.length + 1).split(/[.[]/)[0] ?? '';
    out[key] ??= p.message;
  }
  return out;
}

/** Problems that no field of the pane shows (listed above the form, so none is hidden). */
export function unplaced(problems: readonly Problem[], shown: readonly string[]): Problem[] {
  return problems.filter((p) => !shown.some((prefix) => p.path.startsWith(`${prefix}.`)));
}

export const RULE_MODES = BatchingRuleSchema.options.map((o) => o.shape.mode.value);
export const CONDITION_TYPES = TriggerConditionSchema.options.map((o) => o.shape.type.value);

export function ruleSchema(mode: string) {
  return BatchingRuleSchema.options.find((o) => o.shape.mode.value === mode) ?? BatchingRuleSchema.options[0];
}

export function conditionSchema(type: string) {
  return TriggerConditionSchema.options.find((o) => o.shape.type.value === type) ?? TriggerConditionSchema.options[0];
}

/** A new condition of a type, on the first signal, with the schema's defaults. */
export function newCondition(type: string, signal: string): Record<string, unknown> {
  const v: Record<string, unknown> = { ...initialValues(formFields(conditionSchema(type))), type };
  if (type === 'formula') v.formula = signal ? `[${signal}] > 0` : '';
  else v.signal = signal;
  if (type === 'level') v.threshold = 0;
  return v;
}

export function newTrigger(n: number, signal: string): Record<string, unknown> {
  const fields = formFields(TriggerSchema).filter((f) => f.key !== 'start' && f.key !== 'stop');
  return { ...initialValues(fields), name: `Trigger ${n}`, start: newCondition('edge', signal) };
}

export function newBand(signal: string): Record<string, unknown> {
  return { ...initialValues(formFields(OnChangeBandSchema)), signal };
}

/** The general fields: what RecordingSchema has beside the parts with their own editors (rule, signals, triggers, on change, retention). */
export const OWN_EDITORS = new Set(['rule', 'signals', 'triggers', 'onChange', 'retention']);

const LABELS: Record<string, string> = {
  preMs: 'Pre-trigger (ms)',
  postMs: 'Post-trigger (ms)',
  deadMs: 'Dead time (ms)',
  minDurationMs: 'Min. duration (ms)',
  maxIntervalMs: 'Heartbeat (ms)',
  deadbandType: 'Deadband in',
  rotateEveryMs: 'Rotate every (ms)',
  maxTotalMB: 'Max. total (MB)',
  maxAgeDays: 'Max. age (days)',
  maxCount: 'Max. files',
  everyMinutes: 'Clean up every (min)',
  archiveTo: 'Archive to folder',
};
const SIGNAL_KEYS = new Set(['signal', 'coilSignal', 'lengthSignal', 'speedSignal']);

/** Plant words for the labels, and a signal field as a list of the configured signals (a typo cannot happen). */
export function tuneFields(fields: readonly FormField[], signals: readonly string[]): FormField[] {
  return fields.map((f) => {
    const label = LABELS[f.key] ?? f.label;
    if (SIGNAL_KEYS.has(f.key) && f.kind === 'text' && signals.length > 0) return { ...f, label, kind: 'select' as const, options: signals };
    return { ...f, label };
  });
}
