/** Contract methods and events of one area: Trigger engine status (issue #4). */
import { z } from 'zod';
import { method } from './method';

const MomentSchema = z.object({ at: z.number(), reason: z.string() }).nullable();

export const TriggerStatusSchema = z.object({
  name: z.string(),
  state: z.enum(['armed', 'active', 'post-trigger', 'dead-time']),
  lastStart: MomentSchema,
  lastStop: MomentSchema,
  /** Batches this trigger opened since recording (re)started. */
  batches: z.number().int(),
  /** Its batch being written, with its window (until: null while the trigger is active). */
  open: z.object({ id: z.string(), from: z.number(), until: z.number().nullable(), samples: z.number().int() }).nullable(),
});
export type TriggerStatusInfo = z.infer<typeof TriggerStatusSchema>;

export const triggerMethods = {
  'triggers.status': method(
    z.object({}).strict(),
    z.object({ recording: z.boolean(), triggers: z.array(TriggerStatusSchema) }),
    "Each trigger of the recording's pool: state (armed, active, post-trigger, dead-time), last start and stop with time and reason, batches opened.",
  ),
} as const;

export const triggerEvents = {} as const;
