/** Handlers of the triggers area's contract methods (app/shared/contract/triggers.ts). */
import type { triggerMethods } from '../shared/contract/triggers';
import type { HandlersFor } from './handler-types';

export const triggerHandlers: HandlersFor<keyof typeof triggerMethods> = {};
