/** The simulator's Bulk folder (load tests): readable by every login, changing, counted, not writable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributeIds, DataType, OPCUACertificateManager, OPCUAClient, StatusCodes, UserTokenType, type ClientSession, type UserIdentityInfo } from 'node-opcua';
import { StripLine } from './line-model';
import { serveOpcUa, type OpcUaSimServer } from './opcua-server';
import { tempDir, waitFor } from '../testing/helpers';

const COUNT = 50;
let server: OpcUaSimServer;

beforeAll(async () => {
  const line = new StripLine({ seed: 3, startMs: Date.now() });
  server = await serveOpcUa(() => line.step(Date.now()), { users: [{ username: 'op', password: 'pw' }], bulk: { count: COUNT, updateMs: 50 } });
});
afterAll(async () => {
  await server.close();
});

async function withSession<T>(identity: UserIdentityInfo, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const cm = new OPCUACertificateManager({ rootFolder: await tempDir('parx-opcua-bulk-'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: cm });
  try {
    await client.connect(server.endpointUrl);
    const session = await client.createSession(identity);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  } finally {
    await client.disconnect();
    await cm.dispose();
  }
}

describe('serveOpcUa bulk variables', () => {
  it('counts every value it changes, the whole folder per tick', async () => {
    const before = server.bulkChanges();
    await waitFor(() => server.bulkChanges() >= before + 3 * COUNT, 'three ticks of the Bulk folder', 5000);
    expect(server.bulkChanges() % COUNT).toBe(0);
  });

  it.each([
    ['anonymous', { type: UserTokenType.Anonymous } as UserIdentityInfo],
    ['a user', { type: UserTokenType.UserName, userName: 'op', password: 'pw' } as UserIdentityInfo],
  ])('lets %s read changing values but not write them', async (_who, identity) => {
    await withSession(identity, async (session) => {
      const nodeId = `ns=1;s=Bulk.V${COUNT - 1}`;
      const first = await session.read({ nodeId, attributeId: AttributeIds.Value });
      expect(first.statusCode.value).toBe(StatusCodes.Good.value);
      expect(first.value.dataType).toBe(DataType.Double);
      await new Promise((r) => setTimeout(r, 150));
      const second = await session.read({ nodeId, attributeId: AttributeIds.Value });
      expect(second.value.value).not.toBe(first.value.value);
      const write = await session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 1 } } });
      expect(write.value & 0x80000000).not.toBe(0);
    });
  });
});
