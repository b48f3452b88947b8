/**
 * The contract's method and event names with no dependencies, for the sandboxed preload
 * (which cannot load npm packages at run time). A unit test keeps them equal to the schemas.
 */
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
] as const;

export const EVENT_LIST = ['live.samples', 'connection.state', 'config.changed'] as const;

export const ipcChannel = {
  call: (method: string): string => `parx:call:${method}`,
  event: (event: string): string => `parx:event:${event}`,
};
