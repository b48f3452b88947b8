/** Handlers of the analysis area's contract methods (app/shared/contract/analysis.ts). */
import type { analysisMethods } from '../shared/contract/analysis';
import type { HandlersFor } from './handler-types';

export const analysisHandlers: HandlersFor<keyof typeof analysisMethods> = {};
