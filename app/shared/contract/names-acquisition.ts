/** The acquisition area's method and event names, dependency-free for the preload (see names.ts). */
export const ACQUISITION_METHOD_NAMES = [] as const;
export const ACQUISITION_EVENT_NAMES = [] as const;
