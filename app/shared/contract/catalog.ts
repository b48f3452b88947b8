/** Contract methods and events of one area: The recordings catalog, trigger and retention rules (issue #4). */
// import { z } from 'zod';
// import { method } from './method';

export const catalogMethods = {} as const;

export const catalogEvents = {} as const;
