/** The analysis area's method and event names, dependency-free for the preload (see names.ts). */
export const ANALYSIS_METHOD_NAMES = [
  'analysis.open',
  'analysis.sources',
  'analysis.close',
  'analysis.recent',
  'analysis.query',
  'analysis.stats',
  'analysis.envelope',
  'analysis.layout.get',
  'analysis.layout.save',
] as const;
export const ANALYSIS_EVENT_NAMES = [] as const;
