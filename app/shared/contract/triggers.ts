/** Contract methods and events of one area: Trigger engine status (issue #4). */
// import { z } from 'zod';
// import { method } from './method';

export const triggerMethods = {} as const;

export const triggerEvents = {} as const;
