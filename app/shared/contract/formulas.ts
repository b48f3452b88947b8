/** Contract methods and events of one area: Formulas and derived signals (issue #6). */
// import { z } from 'zod';
// import { method } from './method';

export const formulaMethods = {} as const;

export const formulaEvents = {} as const;
