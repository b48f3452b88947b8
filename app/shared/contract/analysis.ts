/** Contract methods and events of one area: Offline analysis (issue #5): opening recordings and foreign files, trend queries, cursors, export, annotations. */
// import { z } from 'zod';
// import { method } from './method';

export const analysisMethods = {} as const;

export const analysisEvents = {} as const;
