/** Handlers of the analysis area's contract methods (app/shared/contract/analysis.ts). */
import type { analysisMethods } from '../shared/contract/analysis';
import { ok } from '../shared/result';
import { analysisOf } from '../analysis/engine-analysis';
import type { HandlersFor } from './handler-types';

export const analysisHandlers: HandlersFor<keyof typeof analysisMethods> = {
  'analysis.open': async ({ path }, { engine }) => analysisOf(engine).open(path),
  'analysis.sources': async (_p, { engine }) => analysisOf(engine).sources(),
  'analysis.close': async ({ source }, { engine }) => {
    const r = await analysisOf(engine).close(source);
    return r.ok ? ok({ closed: r.value }) : r;
  },
  'analysis.recent': async (_p, { engine }) => ok(await analysisOf(engine).recent()),
  'analysis.query': async (params, { engine }) => analysisOf(engine).ask({ type: 'query', params }),
  'analysis.stats': async (params, { engine }) => analysisOf(engine).ask({ type: 'stats', params }),
  'analysis.envelope': async (params, { engine }) => analysisOf(engine).ask({ type: 'envelope', params }),
  'analysis.layout.get': async (_p, { engine }) => {
    const r = await analysisOf(engine).layout();
    return r.ok ? ok({ layout: r.value }) : r;
  },
  'analysis.layout.save': async ({ layout }, { engine }) => {
    const r = await analysisOf(engine).saveLayout(layout);
    return r.ok ? ok({ file: r.value }) : r;
  },
};
