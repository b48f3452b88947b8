/** Every event the engine pushes to the UI. Payloads with typed arrays stay typed arrays on both transports. */
import { z } from 'zod';
import { ConnectionStatusSchema } from './methods';
import { analysisEvents } from './analysis';
import { catalogEvents } from './catalog';
import { dashboardEvents } from './dashboards';
import { formulaEvents } from './formulas';
import { triggerEvents } from './triggers';
import { filesEvents } from './files';
import { acquisitionEvents } from './acquisition';

export const LiveSamplesSchema = z.object({
  subscription: z.string(),
  signal: z.instanceof(Uint32Array),
  ts: z.instanceof(Float64Array),
  value: z.instanceof(Float64Array),
  quality: z.instanceof(Uint8Array),
  /** Samples this subscriber did not get because it was slower than the data (newest kept). */
  dropped: z.number().int(),
});
export type LiveSamples = z.infer<typeof LiveSamplesSchema>;

export const events = {
  'live.samples': LiveSamplesSchema,
  'connection.state': ConnectionStatusSchema,
  'config.changed': z.object({ file: z.string() }),
  ...acquisitionEvents,
  ...catalogEvents,
  ...triggerEvents,
  ...filesEvents,
  ...analysisEvents,
  ...formulaEvents,
  ...dashboardEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
