/** The catalog area's method and event names, dependency-free for the preload (see names.ts). */
export const CATALOG_METHOD_NAMES = ['catalog.batches', 'catalog.batch', 'catalog.cleanup'] as const;
export const CATALOG_EVENT_NAMES = [] as const;
