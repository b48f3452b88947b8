/** Handlers of the dashboards area's contract methods (app/shared/contract/dashboards.ts). */
import type { dashboardMethods } from '../shared/contract/dashboards';
import type { HandlersFor } from './handler-types';
import { err, ok, parxError } from '../shared/result';
import { alarmsOf, dashboardStoreOf } from '../dashboards/engine-alarms';

export const dashboardHandlers: HandlersFor<keyof typeof dashboardMethods> = {
  'dashboards.list': async (_p, { engine }) => ok(await dashboardStoreOf(engine).list()),
  'dashboards.get': async ({ name }, { engine }) => dashboardStoreOf(engine).get(name),
  'dashboards.save': async ({ dashboard }, { engine }) => ok(await dashboardStoreOf(engine).save(dashboard)),
  'dashboards.remove': async ({ name }, { engine }) => ok({ removed: await dashboardStoreOf(engine).remove(name) }),
  'dashboards.putImage': async ({ name, dataUrl }, { engine }) => ok({ name: name.replace(/\.(png|jpe?g|gif|webp)$/i, ''), bytes: await dashboardStoreOf(engine).putImage(name, dataUrl) }),
  'dashboards.getImage': async ({ name }, { engine }) => {
    const r = await dashboardStoreOf(engine).getImage(name);
    return r.ok ? ok({ name, dataUrl: r.value }) : r;
  },
  'dashboards.listImages': async (_p, { engine }) => ok(await dashboardStoreOf(engine).listImages()),
  'prefs.get': async (_p, { engine }) => ok(await dashboardStoreOf(engine).prefs()),
  'prefs.save': async ({ prefs }, { engine }) => ok(await dashboardStoreOf(engine).savePrefs(prefs)),
  'alarms.list': async ({ limit }, { engine }) => ok((await alarmsOf(engine)).list(limit)),
  'alarms.history': async ({ from, to, limit }, { engine }) => ok(await (await alarmsOf(engine)).history(from, to, limit)),
  'alarms.define': async ({ definitions }, { engine }) => {
    const ids = new Set<string>();
    for (const [i, d] of definitions.entries()) {
      if (ids.has(d.id)) return err(parxError('invalid-request', `alarm id "${d.id}" is defined twice`, { path: `definitions.${i}.id` }));
      ids.add(d.id);
    }
    return ok(await (await alarmsOf(engine)).define(definitions));
  },
  'alarms.ack': async ({ key, comment }, { engine }) => {
    const o = (await alarmsOf(engine)).ack(key, comment);
    return o ? ok(o) : err(parxError('not-found', `no alarm occurrence "${key}"`, { path: 'key' }));
  },
};
