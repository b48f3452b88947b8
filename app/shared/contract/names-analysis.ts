/** The analysis area's method and event names, dependency-free for the preload (see names.ts). */
export const ANALYSIS_METHOD_NAMES = [] as const;
export const ANALYSIS_EVENT_NAMES = [] as const;
