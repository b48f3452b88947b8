/** Contract methods and events of one area: Foreign files, export and annotations of offline analysis (issue #5). */
// import { z } from 'zod';
// import { method } from './method';

export const filesMethods = {} as const;

export const filesEvents = {} as const;
