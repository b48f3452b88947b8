/** Handlers of the formulas area's contract methods (app/shared/contract/formulas.ts). */
import type { formulaMethods } from '../shared/contract/formulas';
import type { HandlersFor } from './handler-types';

export const formulaHandlers: HandlersFor<keyof typeof formulaMethods> = {};
