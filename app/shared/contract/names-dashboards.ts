/** The dashboards area's method and event names, dependency-free for the preload (see names.ts). */
export const DASHBOARDS_METHOD_NAMES = [] as const;
export const DASHBOARDS_EVENT_NAMES = [] as const;
