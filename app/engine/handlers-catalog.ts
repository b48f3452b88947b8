/** Handlers of the catalog area's contract methods (app/shared/contract/catalog.ts). */
import type { catalogMethods } from '../shared/contract/catalog';
import { err, ok, parxError } from '../shared/result';
import type { HandlersFor } from './handler-types';

export const catalogHandlers: HandlersFor<keyof typeof catalogMethods> = {
  'catalog.batches': async (filter, { engine }) => {
    if (!engine.storage) return ok({ total: 0, batches: [] });
    return engine.storage.list(filter);
  },

  'catalog.batch': async ({ id }, { engine }) => {
    const r = engine.storage ? await engine.storage.get(id) : ok(null);
    if (!r.ok) return r;
    return r.value ? ok(r.value) : err(parxError('not-found', `no batch "${id}" in the catalog`, { path: 'id' }));
  },

  'catalog.cleanup': async ({ dryRun }, { engine }) => {
    if (!engine.storage || !engine.config.recording?.retention) return err(parxError('invalid-request', 'no retention rules: set recording.retention in the workspace configuration (maxAgeDays, maxTotalMB or maxCount)'));
    return engine.storage.cleanup(dryRun);
  },
};
