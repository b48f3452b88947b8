/**
 * Certificate trust against the demo line's node-opcua server on a secured endpoint: an
 * unknown server certificate is refused and announced; trusting it connects; autoTrust and
 * None security need no decision.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Engine, type ClientSession } from '../../engine/engine';
import { CONFIG_VERSION, type ConnectionStatus, type EventName, type EventPayload, type LiveSamples, type WorkspaceConfig } from '../../shared/contract';
import type { CertificateEntry, UntrustedCertificate } from '../../shared/contract/acquisition';
import { Quality } from '../../shared/samples';
import { StripLine } from '../../sim/line-model';
import { lineNodeId, serveOpcUa, type OpcUaSimServer } from '../../sim/opcua-server';
import { tempDir, waitFor } from '../../testing/helpers';
import { probe } from '../../collector/probe';
import { certificateInfo } from './certificate-info';

let server: OpcUaSimServer;
let serverThumbprint = '';

beforeAll(async () => {
  // This file's engines keep their trust store in their workspace, as a user's does.
  delete process.env.PARX_PKI_DIR;
  const line = new StripLine({ seed: 4, startMs: Date.now() });
  const pkiDir = await tempDir('parx-opcua-sim-');
  server = await serveOpcUa(() => line.step(Date.now()), { pkiDir });
  const pem = await fs.readFile(path.join(pkiDir, 'server', 'own', 'certs', (await fs.readdir(path.join(pkiDir, 'server', 'own', 'certs')))[0] as string));
  serverThumbprint = certificateInfo(pem.toString('latin1').includes('BEGIN') ? pem.toString('latin1') : new Uint8Array(pem)).thumbprint;
}, 60_000);
afterAll(async () => {
  await server.close();
});

function config(endpointUrl: string, extra: Partial<WorkspaceConfig['connections'][number]> = {}): WorkspaceConfig {
  return {
    version: CONFIG_VERSION,
    connections: [
      { name: 'Secure line', protocol: 'opcua', endpointUrl, securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256', auth: { type: 'anonymous' }, timeoutMs: 1000, enabled: true, ...extra } as WorkspaceConfig['connections'][number],
    ],
    signals: [{ name: 'Line Speed', unit: 'm/min', description: '', connection: 'Secure line', address: lineNodeId('Line Speed'), scale: 1, offset: 0, timebaseMs: 100 }],
  };
}

function client() {
  const events: { event: EventName; payload: unknown }[] = [];
  return {
    events,
    of: <E extends EventName>(e: E) => events.filter((x) => x.event === e).map((x) => x.payload as EventPayload<E>),
    client: { emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void events.push({ event, payload }), busy: () => false },
  };
}

async function call<T>(session: ClientSession, method: string, params: unknown): Promise<T> {
  const r = await session.call(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

describe('OPC UA server certificates: refused until trusted', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });

  it('an unknown certificate is refused and announced once; trust connects and values flow; reject refuses again', async () => {
    const workspace = await tempDir();
    engine = await Engine.start({ workspace, mode: 'node' });
    const rec = client();
    const session = engine.connect(rec.client);
    await call(session, 'config.save', { config: config(server.endpointUrl) });
    await call(session, 'live.subscribe', { signals: ['Line Speed'], maxRate: 30 });

    const [offered] = await waitFor(() => rec.of('certificate.untrusted').length > 0 && rec.of('certificate.untrusted'), 'certificate.untrusted', 30_000);
    expect(offered).toMatchObject({ connection: 'Secure line', thumbprint: serverThumbprint } satisfies Partial<UntrustedCertificate>);
    expect(offered?.subject).toMatch(/CN=/);
    expect(Date.parse(offered?.validFrom ?? '')).toBeLessThan(Date.now());
    expect(Date.parse(offered?.validTo ?? '')).toBeGreaterThan(Date.now());
    const down = rec.of('connection.state').find((s) => s.state === 'disconnected') as ConnectionStatus;
    expect(down.lastError).toMatch(new RegExp(`server certificate not trusted: .*thumbprint ${serverThumbprint}`));
    expect(rec.of('live.samples').some((b) => b.quality.includes(Quality.good))).toBe(false);

    const listed = await call<CertificateEntry[]>(session, 'certificates.list', {});
    expect(listed).toEqual([expect.objectContaining({ thumbprint: serverThumbprint, status: 'rejected' })]);
    // The file is where node-opcua keeps refused certificates, in the workspace.
    expect((await fs.readdir(path.join(workspace, 'pki', 'opcua', 'rejected'))).length).toBe(1);

    // Retries do not ask again.
    await waitFor(() => rec.of('connection.state').filter((s) => s.state === 'disconnected').length >= 2, 'a second refused attempt', 20_000);
    expect(rec.of('certificate.untrusted')).toHaveLength(1);

    const trusted = await call<CertificateEntry>(session, 'certificates.trust', { thumbprint: serverThumbprint.toUpperCase() });
    expect(trusted).toMatchObject({ thumbprint: serverThumbprint, status: 'trusted' });
    const good = () => rec.of('live.samples').some((b: LiveSamples) => b.quality.includes(Quality.good));
    // Well inside the 10 s backoff ceiling: trusting retries the refused connection at once.
    const t0 = Date.now();
    await waitFor(good, 'good samples over SignAndEncrypt after trust', 15_000);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(await call<CertificateEntry[]>(session, 'certificates.list', {})).toEqual([expect.objectContaining({ thumbprint: serverThumbprint, status: 'trusted' })]);

    // Rejecting it again refuses the next connect — also "Test connection", which runs beside the engine on its store.
    await call(session, 'certificates.reject', { thumbprint: serverThumbprint });
    const test = await call<{ ok: boolean; error: string | null }>(session, 'connections.test', { connection: { ...config(server.endpointUrl).connections[0]!, name: 'again' }, signals: [lineNodeId('Line Speed')], timeoutMs: 15_000 });
    expect(test.ok).toBe(false);
    expect(test.error).toMatch(/not trusted: .*it is on the rejected list/);
  }, 90_000);

  it('refuses a malformed or unknown thumbprint with the reason', async () => {
    engine = await Engine.start({ workspace: await tempDir(), mode: 'node' });
    const session = engine.connect(client().client);
    const bad = await session.call('certificates.trust', { thumbprint: 'abc' });
    expect(bad.ok === false && bad.error).toMatchObject({ kind: 'invalid-request', message: expect.stringMatching(/40 hexadecimal digits/) });
    const unknown = await session.call('certificates.trust', { thumbprint: 'ab'.repeat(20) });
    expect(unknown.ok === false && unknown.error).toMatchObject({ kind: 'not-found' });
  }, 30_000);
});

describe('without a decision', () => {
  const secured = () => `${server.endpointUrl}?security=SignAndEncrypt&policy=Basic256Sha256`;
  afterEach(() => {
    delete process.env.PARX_PKI_DIR;
  });

  it('autoTrust (trust=auto) trusts a certificate never seen before', async () => {
    process.env.PARX_PKI_DIR = await tempDir('parx-opcua-pki-');
    const auto = await probe(`${secured()}&trust=auto`, [lineNodeId('Line Speed')], 15_000);
    expect(auto.ok && auto.value[0]?.quality).toBe('good');
    expect(await fs.readdir(path.join(process.env.PARX_PKI_DIR, 'trusted', 'certs'))).toHaveLength(1);
  }, 60_000);

  it('but not one already refused: a rejection stands until someone trusts it', async () => {
    process.env.PARX_PKI_DIR = await tempDir('parx-opcua-pki-');
    const first = await probe(secured(), [lineNodeId('Line Speed')], 15_000);
    expect(first.ok === false && first.error.message).toMatch(/not trusted: .*ParX has not seen it before/);
    const auto = await probe(`${secured()}&trust=auto`, [lineNodeId('Line Speed')], 15_000);
    expect(auto.ok === false && auto.error.message).toMatch(/it is on the rejected list/);
  }, 60_000);

  it('security None needs no trust', async () => {
    process.env.PARX_PKI_DIR = await tempDir('parx-opcua-pki-');
    const plain = await probe(server.endpointUrl, [lineNodeId('Line Speed')], 15_000);
    expect(plain.ok && plain.value[0]?.quality).toBe('good');
  }, 60_000);
});
