/** Handlers of the triggers area's contract methods (app/shared/contract/triggers.ts). */
import type { triggerMethods } from '../shared/contract/triggers';
import { ok } from '../shared/result';
import type { HandlersFor } from './handler-types';

export const triggerHandlers: HandlersFor<keyof typeof triggerMethods> = {
  'triggers.status': async (_p, { engine }) => {
    const pump = engine.recording;
    if (!pump) return ok({ recording: false, triggers: [] });
    return ok({
      recording: true,
      triggers: pump.triggerStatus().map((t) => ({
        name: t.name,
        state: t.state,
        lastStart: t.lastStart,
        lastStop: t.lastStop,
        batches: t.batches,
        open: t.open ? { id: t.open.id, from: t.open.from, until: t.open.until, samples: t.open.samples } : null,
      })),
    });
  },
};
