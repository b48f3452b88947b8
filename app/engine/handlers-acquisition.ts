/** Handlers of the acquisition area's contract methods (app/shared/contract/acquisition.ts). */
import type { acquisitionMethods, PlannedGroup } from '../shared/contract/acquisition';
import { parseRegisterMap } from '../drivers/modbus/register-map';
import { listCertificates, moveCertificate, workspacePkiDir } from '../drivers/opcua/trust-store';
import { untrustedThumbprint } from '../shared/opcua-trust';
import { ok } from '../shared/result';
import type { Engine } from './engine';
import type { HandlersFor } from './handler-types';

/**
 * Restart connections now instead of at their next backoff retry (up to 10 s away): disable
 * and re-enable them. Only connections refused because of this certificate, which have no
 * session and so lose nothing.
 */
async function retryRefused(engine: Engine, thumbprint: string): Promise<void> {
  const refused = new Set(engine.connectionStatuses().filter((s) => untrustedThumbprint(s.lastError) === thumbprint).map((s) => s.name));
  if (refused.size === 0) return;
  const config = engine.config;
  await engine.apply({ ...config, connections: config.connections.map((c) => (refused.has(c.name) ? { ...c, enabled: false } : c)) });
  await engine.apply(config);
}

export const acquisitionHandlers: HandlersFor<keyof typeof acquisitionMethods> = {
  'acquisition.registerMap': async ({ csv }) => ok(parseRegisterMap(csv)),

  'certificates.list': async (_p, { engine }) => ok(await listCertificates(workspacePkiDir(engine.options.workspace))),

  'certificates.trust': async ({ thumbprint }, { engine }) => {
    const moved = await moveCertificate(workspacePkiDir(engine.options.workspace), thumbprint, 'trusted');
    if (moved.ok) await retryRefused(engine, thumbprint);
    return moved;
  },

  'certificates.reject': async ({ thumbprint }, { engine }) => moveCertificate(workspacePkiDir(engine.options.workspace), thumbprint, 'rejected'),

  'acquisition.plan': async (_p, { engine }) =>
    ok(
      engine.plan().map((p): PlannedGroup => {
        const g = engine.groupStats().find((x) => x.connection === p.connection && x.timebaseMs === p.timebaseMs);
        return {
          ...p,
          requestList: [...p.requestList],
          note: p.note ?? null,
          measured: g && g.cycles > 0 ? { lastCycleMs: g.lastCycleMs, cycles: g.cycles, overruns: g.overruns, jitterP99Ms: g.jitterP99Ms } : null,
        };
      }),
    ),
};
