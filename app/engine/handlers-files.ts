/** Handlers of the files area's contract methods (app/shared/contract/files.ts). */
import type { filesMethods } from '../shared/contract/files';
import type { HandlersFor } from './handler-types';

export const filesHandlers: HandlersFor<keyof typeof filesMethods> = {};
