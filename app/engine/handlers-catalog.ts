/** Handlers of the catalog area's contract methods (app/shared/contract/catalog.ts). */
import type { catalogMethods } from '../shared/contract/catalog';
import type { HandlersFor } from './handler-types';

export const catalogHandlers: HandlersFor<keyof typeof catalogMethods> = {};
