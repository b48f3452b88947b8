/**
 * One handler per contract method. Parameters arrive already validated; results are the
 * contract's result types, so a handler that drifts from the contract fails to compile.
 */
import { ConnectionSchema, describeProblems, zodProblems, type ConnectionConfig, type MethodName } from '../shared/contract';
import { browse, probe } from '../collector/probe';
import { err, ok, parxError, type Result } from '../shared/result';
import { validateConfig } from '../workspace/config-store';

/** Settings typed into a form, not yet saved: validated like a saved connection, errors located under `connection.`. */
function connectionSettings(connection: unknown): Result<ConnectionConfig> {
  const parsed = ConnectionSchema.safeParse(connection);
  if (parsed.success) return ok(parsed.data);
  const problems = zodProblems(parsed.error);
  return err(parxError('invalid-request', `connection settings: ${describeProblems(problems)}`, { path: problems[0] ? `connection.${problems[0].path}` : 'connection' }));
}

import type { HandlersFor } from './handler-types';
import type { Engine } from './engine';
import { analysisHandlers } from './handlers-analysis';
import { catalogHandlers } from './handlers-catalog';
import { dashboardHandlers } from './handlers-dashboards';
import { formulaHandlers } from './handlers-formulas';
import { triggerHandlers } from './handlers-triggers';
import { filesHandlers } from './handlers-files';
import { acquisitionHandlers } from './handlers-acquisition';
import type { coreMethods } from '../shared/contract/methods';

const coreHandlers: HandlersFor<keyof typeof coreMethods> = {
  'engine.info': async (_p, { engine, client }) => {
    const role = client.role ?? 'operator';
    // A viewer's page makes no share links: it gets no token to put in them.
    return ok({ version: engine.version, mode: engine.options.mode, workspace: engine.options.workspace, startedAt: engine.startedAt, viewerToken: role === 'viewer' ? null : engine.viewerToken, role });
  },

  'config.get': async (_p, { engine }) => ok({ config: engine.config, file: engine.store.file, problem: engine.configProblem }),

  'config.validate': async ({ config }) => {
    const v = validateConfig(config);
    return ok({ problems: v.ok ? [] : v.problems });
  },

  'config.save': async ({ config }, { engine }) => {
    const saved = await engine.store.save(config);
    if (!saved.ok) {
      return err(parxError('invalid-config', `configuration not saved: ${describeProblems(saved.problems)}`, { path: saved.problems[0]?.path ?? '' }));
    }
    engine.configProblem = null;
    const loaded = await engine.store.load();
    const applied = await engine.apply(loaded.config);
    if (!applied.ok) return applied;
    engine.broadcast('config.changed', { file: saved.file });
    return ok({ file: saved.file, history: saved.history });
  },

  'signals.list': async (_p, { engine }) => ok(engine.registry.list()),

  'connections.list': async (_p, { engine }) => ok(engine.connectionStatuses()),

  'health.get': async (_p, { engine }) =>
    ok({ connections: engine.connectionStatuses(), groups: engine.groupStats(), droppedLive: engine.bus.droppedTotal(), buffer: engine.journal?.stats() ?? null, recorder: recorderHealth(engine), influx: engine.influx?.status() ?? null }),

  'connections.test': async ({ connection, signals, timeoutMs }) => {
    const parsed = connectionSettings(connection);
    if (!parsed.ok) return parsed;
    const r = await probe(parsed.value, signals, timeoutMs);
    if (!r.ok) return ok({ ok: false, error: r.error.message, values: [] });
    return ok({ ok: true, error: null, values: r.value });
  },

  'connections.browse': async ({ connection, parent, timeoutMs }) => {
    const parsed = connectionSettings(connection);
    if (!parsed.ok) return parsed;
    const r = await browse(parsed.value, parent, timeoutMs);
    return r.ok ? ok(r.value.map((i) => ({ ...i }))) : r;
  },

  'recording.status': async (_p, { engine }) => {
    const r = engine.recording?.status();
    if (!r) return ok({ enabled: false, directory: null, open: null, lastFile: null, files: 0, errors: 0, alarm: null, backlogBytes: 0 });
    const { lastFile, ...rest } = r;
    return ok({ ...rest, lastFile: lastFile ? { id: lastFile.id, file: lastFile.file, coil: lastFile.coil, rows: lastFile.rows, start: lastFile.start, end: lastFile.end, status: lastFile.status, bytes: lastFile.bytes } : null });
  },

  'recording.command': async ({ action, reason }, { engine }) => {
    if (!engine.recording) return err(parxError('invalid-request', 'recording is not enabled in this workspace (configuration: recording.enabled)'));
    await engine.recording.command(action, `${action === 'start' ? 'started' : 'stopped'} by ${reason}`);
    return ok({ done: true });
  },

  'recording.capture': async ({ minutes, reason }, { engine }) => {
    const r = await engine.capture(minutes, reason);
    return r.ok ? ok({ file: r.value.file, rows: r.value.rows, start: r.value.start, end: r.value.end }) : r;
  },

  'live.subscribe': async ({ signals, maxRate }, session) => {
    const { engine } = session;
    const infos = [];
    for (const name of signals) {
      const info = engine.registry.byName(name);
      if (!info) return err(parxError('not-found', `no signal named "${name}"`, { path: 'signals' }));
      infos.push(info);
    }
    const sub = engine.bus.subscribe(
      infos.map((i) => i.id),
      maxRate,
      {
        deliver: (batch, dropped) => session.client.emit('live.samples', { subscription: sub.id, ...batch, dropped }),
        busy: () => session.client.busy(),
      },
    );
    session.subscriptions.set(sub.id, () => sub.dispose());
    return ok({ subscription: sub.id, signals: infos });
  },

  'live.unsubscribe': async ({ subscription }, session) => {
    const dispose = session.subscriptions.get(subscription);
    dispose?.();
    session.subscriptions.delete(subscription);
    return ok({ removed: dispose !== undefined });
  },
};

/** Each area keeps its handlers in its own file (handlers-<area>.ts). */
function recorderHealth(engine: Engine): { backlogBytes: number; alarm: string | null } | null {
  const r = engine.recording?.status();
  return r ? { backlogBytes: r.backlogBytes, alarm: r.alarm?.message ?? null } : null;
}

export const HANDLERS: HandlersFor<MethodName> = { ...coreHandlers, ...acquisitionHandlers, ...catalogHandlers, ...triggerHandlers, ...filesHandlers, ...analysisHandlers, ...formulaHandlers, ...dashboardHandlers };
