/**
 * The contract's method and event names with no dependencies, for the sandboxed preload
 * (which cannot load npm packages at run time). A unit test keeps them equal to the schemas.
 * Each area lists its own names in names-<area>.ts.
 */
import { ANALYSIS_EVENT_NAMES, ANALYSIS_METHOD_NAMES } from './names-analysis';
import { CATALOG_EVENT_NAMES, CATALOG_METHOD_NAMES } from './names-catalog';
import { DASHBOARDS_EVENT_NAMES, DASHBOARDS_METHOD_NAMES } from './names-dashboards';
import { FORMULAS_EVENT_NAMES, FORMULAS_METHOD_NAMES } from './names-formulas';
import { TRIGGERS_EVENT_NAMES, TRIGGERS_METHOD_NAMES } from './names-triggers';
import { FILES_EVENT_NAMES, FILES_METHOD_NAMES } from './names-files';
import { ACQUISITION_EVENT_NAMES, ACQUISITION_METHOD_NAMES } from './names-acquisition';

export const METHOD_LIST = [
  'engine.info',
  'config.get',
  'config.validate',
  'config.save',
  'signals.list',
  'connections.list',
  'health.get',
  'connections.test',
  'connections.browse',
  'recording.status',
  'recording.command',
  'recording.capture',
  'live.subscribe',
  'live.unsubscribe',
  ...ACQUISITION_METHOD_NAMES,
  ...CATALOG_METHOD_NAMES,
  ...TRIGGERS_METHOD_NAMES,
  ...FILES_METHOD_NAMES,
  ...ANALYSIS_METHOD_NAMES,
  ...FORMULAS_METHOD_NAMES,
  ...DASHBOARDS_METHOD_NAMES,
] as const;

export const EVENT_LIST = ['live.samples', 'connection.state', 'config.changed', ...ACQUISITION_EVENT_NAMES, ...CATALOG_EVENT_NAMES, ...TRIGGERS_EVENT_NAMES, ...FILES_EVENT_NAMES, ...ANALYSIS_EVENT_NAMES, ...FORMULAS_EVENT_NAMES, ...DASHBOARDS_EVENT_NAMES] as const;

export const ipcChannel = {
  call: (method: string): string => `parx:call:${method}`,
  event: (event: string): string => `parx:event:${event}`,
};
