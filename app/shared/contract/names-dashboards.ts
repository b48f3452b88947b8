/** The dashboards area's method and event names, dependency-free for the preload (see names.ts). */
export const DASHBOARDS_METHOD_NAMES = [
  'dashboards.list',
  'dashboards.get',
  'dashboards.save',
  'dashboards.remove',
  'dashboards.putImage',
  'dashboards.getImage',
  'dashboards.listImages',
  'prefs.get',
  'prefs.save',
  'alarms.list',
  'alarms.history',
  'alarms.define',
  'alarms.ack',
] as const;
export const DASHBOARDS_EVENT_NAMES = ['alarm.changed'] as const;
