/** `parx probe` over a pushed protocol: each bad address gets its own reason, not the last one heard. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../collector/probe';
import { StripLine } from '../../sim/line-model';
import { serveOpcUa, type OpcUaSimServer } from '../../sim/opcua-server';
import { tempDir } from '../../testing/helpers';

let server: OpcUaSimServer;
beforeAll(async () => {
  process.env.PARX_PKI_DIR = await tempDir('parx-opcua-pki-');
  const line = new StripLine({ seed: 3, startMs: Date.now() });
  server = await serveOpcUa(() => line.step(Date.now()), { pkiDir: await tempDir('parx-opcua-sim-') });
}, 60_000);
afterAll(async () => {
  await server.close();
});

describe('probe errors per address (OPC UA)', () => {
  it('names each bad node with its own reason', async () => {
    const nodes = ['ns=1;s=Types.String', 'ns=1;s=Nope', 'ns=1;s=Types.DoubleArray', 'ns=1;s=Types.Int32', 'ns=1;s=AlsoMissing'];
    const r = await probe(server.endpointUrl, nodes, 10_000);
    if (!r.ok) throw new Error(r.error.message);
    const [text, nope, array, good, missing] = r.value;
    expect(text).toMatchObject({ quality: 'bad', error: expect.stringMatching(/^ns=1;s=Types\.String: not numeric/) });
    expect(nope).toMatchObject({ quality: 'bad', error: expect.stringMatching(/^ns=1;s=Nope: BadNodeIdUnknown/) });
    expect(array).toMatchObject({ quality: 'bad', error: expect.stringMatching(/^ns=1;s=Types\.DoubleArray: is an array/) });
    expect(good).toMatchObject({ quality: 'good' });
    expect(good?.error).toBeUndefined();
    expect(missing).toMatchObject({ quality: 'bad', error: expect.stringMatching(/^ns=1;s=AlsoMissing: BadNodeIdUnknown/) });
  }, 60_000);
});
