/** The triggers area's method and event names, dependency-free for the preload (see names.ts). */
export const TRIGGERS_METHOD_NAMES = ['triggers.status'] as const;
export const TRIGGERS_EVENT_NAMES = [] as const;
