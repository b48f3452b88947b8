/** Contract methods and events of one area: Acquisition extras (issue #3): certificate trust, register maps, planner. */
// import { z } from 'zod';
// import { method } from './method';

export const acquisitionMethods = {} as const;

export const acquisitionEvents = {} as const;
