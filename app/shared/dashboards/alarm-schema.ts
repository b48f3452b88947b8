/**
 * Alarm definitions and occurrences. A definition watches one signal against a limit
 * (with a deadband against chatter and an on-delay against spikes) or a formula that is
 * true while the alarm condition holds. An occurrence is one raise → (ack) → clear cycle.
 */
import { z } from 'zod';

export const ALARMS_FILE_VERSION = 1;
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;

const base = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (at most 64)'),
  message: z.string().trim().min(1, 'say what the alarm means').max(200),
  /** 1 low … 4 critical. */
  priority: z.number().int().min(1).max(4).default(2),
  /** The condition must hold this long before the alarm is raised. */
  onDelayMs: z.number().int().min(0).max(3_600_000).default(0),
  enabled: z.boolean().default(true),
};

export const LimitAlarmSchema = z
  .object({
    ...base,
    kind: z.literal('limit'),
    signal: z.string().min(1).max(200),
    direction: z.enum(['hi', 'lo']),
    setpoint: z.number().refine(Number.isFinite, 'must be a finite number'),
    /** The value must come back past setpoint ∓ deadband before the alarm clears. */
    deadband: z.number().min(0).default(0),
  })
  .strict();

export const FormulaAlarmSchema = z
  .object({ ...base, kind: z.literal('formula'), formula: z.string().min(1).max(2000) })
  .strict();

export const AlarmDefinitionSchema = z.discriminatedUnion('kind', [LimitAlarmSchema, FormulaAlarmSchema]);
export type AlarmDefinition = z.infer<typeof AlarmDefinitionSchema>;
export type LimitAlarm = z.infer<typeof LimitAlarmSchema>;

export const AlarmsFileSchema = z
  .object({ version: z.literal(ALARMS_FILE_VERSION), alarms: z.array(AlarmDefinitionSchema).max(5000) })
  .strict()
  .refine((f) => new Set(f.alarms.map((a) => a.id)).size === f.alarms.length, { message: 'alarm ids must be unique', path: ['alarms'] });

export const AlarmStateSchema = z.enum(['active', 'acknowledged', 'cleared']);
export type AlarmStateName = z.infer<typeof AlarmStateSchema>;

export const AlarmOccurrenceSchema = z.object({
  /** `<alarm id>@<raise time>`: unique per raise. */
  key: z.string(),
  alarm: z.string(),
  message: z.string(),
  priority: z.number().int(),
  /** The value that raised it (NaN-free; null for formula alarms). */
  value: z.number().nullable(),
  state: AlarmStateSchema,
  activeAt: z.number(),
  ackAt: z.number().nullable(),
  ackComment: z.string().nullable(),
  clearedAt: z.number().nullable(),
});
export type AlarmOccurrence = z.infer<typeof AlarmOccurrenceSchema>;

/** Cleared and acknowledged: the occurrence is over and stays only in the history. */
export function occurrenceClosed(o: AlarmOccurrence): boolean {
  return o.clearedAt !== null && o.ackAt !== null;
}

/** The displayed state: cleared wins once the condition is gone; acknowledged while it still holds. */
export function occurrenceState(o: Pick<AlarmOccurrence, 'ackAt' | 'clearedAt'>): AlarmStateName {
  if (o.clearedAt !== null) return 'cleared';
  return o.ackAt !== null ? 'acknowledged' : 'active';
}
