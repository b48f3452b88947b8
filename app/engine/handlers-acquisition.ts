/** Handlers of the acquisition area's contract methods (app/shared/contract/acquisition.ts). */
import type { acquisitionMethods } from '../shared/contract/acquisition';
import type { HandlersFor } from './handler-types';

export const acquisitionHandlers: HandlersFor<keyof typeof acquisitionMethods> = {};
