/** The files area's method and event names, dependency-free for the preload (see names.ts). */
export const FILES_METHOD_NAMES = [] as const;
export const FILES_EVENT_NAMES = [] as const;
