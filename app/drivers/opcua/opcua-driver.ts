/**
 * The OPC UA driver descriptor. node-opcua takes seconds to load, so the session
 * (opcua-session.ts) is imported only when a connection actually connects: `parx sim`,
 * `parx plan` and an engine without OPC UA connections never pay for it.
 */
import type { OpcUaConnectionConfig } from '../../shared/contract';
import type { BrowseItem, DriverSession, ProtocolDriver, PushSink } from '../driver';
import { parseOpcUaAddress, type OpcUaAddress } from './address';
import type { OpcUaSession } from './opcua-session';
import { opcUaConnectionFromUrl, opcUaEndpointLabel } from './url';

class LazyOpcUaSession implements DriverSession<OpcUaAddress> {
  private session: OpcUaSession | undefined;
  private dropListener: (reason: string) => void = () => undefined;

  constructor(private readonly config: OpcUaConnectionConfig) {}

  private ready(): OpcUaSession {
    if (!this.session) throw new Error('not connected');
    return this.session;
  }

  async connect(): Promise<void> {
    const { OpcUaSession } = await import('./opcua-session');
    this.session = new OpcUaSession(this.config);
    this.session.onDrop((reason) => this.dropListener(reason));
    await this.session.connect();
  }

  subscribe(addresses: readonly OpcUaAddress[], timebaseMs: number, sink: PushSink): Promise<{ close(): Promise<void> }> {
    return this.ready().subscribe(addresses, timebaseMs, sink);
  }

  browse(parent: string | null, opts: { timeoutMs: number }): Promise<BrowseItem[]> {
    return this.ready().browse(parent, opts);
  }

  async close(): Promise<void> {
    await this.session?.close();
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropListener = listener;
  }
}

export const opcuaDriver: ProtocolDriver<OpcUaConnectionConfig, OpcUaAddress> = {
  protocol: 'opcua',
  mode: 'push',
  connectionFromUrl: opcUaConnectionFromUrl,
  parseAddress: parseOpcUaAddress,
  endpoint: opcUaEndpointLabel,
  open: (c) => new LazyOpcUaSession(c),
};
