/** Contract methods and events of one area: Live dashboards and alarms (issue #7). */
// import { z } from 'zod';
// import { method } from './method';

export const dashboardMethods = {} as const;

export const dashboardEvents = {} as const;
