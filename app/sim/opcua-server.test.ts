/** The OPC UA demo line server: where it listens, what it offers, where it keeps its certificates. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSecurityMode, OPCUAClient, OPCUACertificateManager, UserTokenType } from 'node-opcua';
import { StripLine } from './line-model';
import { lineNodeId, serveOpcUa, type OpcUaSimServer } from './opcua-server';
import { tempDir } from '../testing/helpers';

let server: OpcUaSimServer;
let pkiDir: string;

beforeAll(async () => {
  pkiDir = await tempDir('parx-opcua-sim-');
  const line = new StripLine({ seed: 9, startMs: Date.now() });
  server = await serveOpcUa(() => line.step(Date.now()), { pkiDir, users: [{ username: 'op', password: 'pw' }] });
});
afterAll(async () => {
  await server.close();
});

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('serveOpcUa', () => {
  it('listens on 127.0.0.1 only, at the advertised endpoint', async () => {
    expect(server.endpointUrl).toBe(`opc.tcp://127.0.0.1:${server.port}/parx/demo-line`);
    expect(await connects('127.0.0.1', server.port)).toBe(true);
    const other = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (other) expect(await connects(other.address, server.port)).toBe(false);
  });

  it('keeps its certificate in the given folder and offers None and Basic256Sha256 (Sign, SignAndEncrypt) with anonymous and user logins', async () => {
    expect(fs.readdirSync(path.join(pkiDir, 'server', 'own', 'certs')).length).toBeGreaterThan(0);
    const clientPki = await tempDir('parx-opcua-client-');
    const cm = new OPCUACertificateManager({ rootFolder: clientPki, automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
    try {
      await client.connect(server.endpointUrl);
      const endpoints = await client.getEndpoints();
      const offered = endpoints.map((e) => `${(e.securityPolicyUri ?? '').split('#')[1]}/${MessageSecurityMode[e.securityMode]}`).sort();
      expect(offered).toEqual(['Basic256Sha256/Sign', 'Basic256Sha256/SignAndEncrypt', 'None/None']);
      const tokens = new Set(endpoints.flatMap((e) => (e.userIdentityTokens ?? []).map((t) => t.tokenType)));
      expect(tokens).toContain(UserTokenType.Anonymous);
      expect(tokens).toContain(UserTokenType.UserName);
      const session = await client.createSession();
      const dv = await session.read({ nodeId: lineNodeId('Line Speed'), attributeId: 13 });
      expect(typeof dv.value.value).toBe('number');
      expect(dv.sourceTimestamp?.getTime()).toBeGreaterThan(Date.now() - 60_000);
      await session.close();
    } finally {
      await client.disconnect();
      await cm.dispose();
    }
  });
});
