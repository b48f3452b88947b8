/** The formulas area's method and event names, dependency-free for the preload (see names.ts). */
export const FORMULAS_METHOD_NAMES = ['formulas.check', 'formulas.preview', 'formulas.functions', 'derived.save', 'derived.remove'] as const;
export const FORMULAS_EVENT_NAMES = [] as const;
