/**
 * What a read-only viewer (a dashboard share link in browser mode) may ask of the engine:
 * reading and watching, never changing configuration, recordings, alarms or files. An
 * allowlist, so a method added later is refused to viewers until someone decides otherwise.
 */
import type { MethodName } from './methods';

export const VIEWER_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'engine.info',
  'config.get',
  'signals.list',
  'connections.list',
  'health.get',
  'recording.status',
  'live.subscribe',
  'live.unsubscribe',
  'acquisition.plan',
  'triggers.status',
  'catalog.batches',
  'catalog.batch',
  'annotations.list',
  'formulas.functions',
  'dashboards.list',
  'dashboards.get',
  'dashboards.getImage',
  'dashboards.listImages',
  'prefs.get',
  'alarms.list',
  'alarms.history',
]);

export type Role = 'operator' | 'viewer';
