/** Handlers of the dashboards area's contract methods (app/shared/contract/dashboards.ts). */
import type { dashboardMethods } from '../shared/contract/dashboards';
import type { HandlersFor } from './handler-types';

export const dashboardHandlers: HandlersFor<keyof typeof dashboardMethods> = {};
