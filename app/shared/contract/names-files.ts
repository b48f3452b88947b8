/** The files area's method and event names, dependency-free for the preload (see names.ts). */
export const FILES_METHOD_NAMES = [
  'files.inspect',
  'files.import',
  'files.upload',
  'files.batches',
  'files.export',
  'files.export.cancel',
  'files.xy',
  'files.spectrum',
  'annotations.list',
  'annotations.add',
  'annotations.update',
  'annotations.remove',
] as const;
export const FILES_EVENT_NAMES = ['files.export.progress', 'files.import.progress', 'annotations.changed'] as const;
