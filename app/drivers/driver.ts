/**
 * One interface for every protocol. A driver parses its own address syntax, builds a
 * connection from a URL (for `parx probe`), and opens sessions. Polled protocols (Modbus,
 * EtherNet/IP) implement prepare/read; pushed ones (OPC UA subscriptions, MQTT, EGD)
 * implement subscribe. The collector runtime (app/collector) owns scheduling, reconnects,
 * gap markers and statistics for both.
 */
import type { ConnectionConfig } from '../shared/contract';
import type { Result } from '../shared/result';

export interface ReadResult {
  /** Raw decoded values (before scale/offset), in the order of the prepared addresses. NaN where unread. */
  readonly values: Float64Array;
  /** Per value: Quality code. */
  readonly quality: Uint8Array;
  /** Why values are bad, one line each (e.g. "hr 0..9: exception 2 illegal data address"). */
  readonly errors: readonly string[];
  /** Requests issued for this read. */
  readonly requests: number;
}

export interface PreparedRead {
  /** How many requests one cycle costs after packing — the acquisition planner reports it. */
  readonly requests: number;
  readonly describe: readonly string[];
}

/** One value pushed by the device; `index` is the position in the subscribed address list. */
export interface PushedSample {
  readonly index: number;
  /** ms since the epoch: the source timestamp where the protocol has one, else the receive time. */
  readonly ts: number;
  readonly value: number;
  readonly quality: number;
  /** Why this one sample is bad (its own address's reason), when the driver knows. */
  readonly error?: string;
  /** Bad only because nothing has arrived yet (not a refusal): a probe waits on until its timeout. */
  readonly waiting?: true;
}

export interface PushSink {
  samples(samples: readonly PushedSample[]): void;
  /** A problem that spoils values but not the link (a non-numeric payload, a bad status). */
  error(message: string): void;
}

export interface BrowseItem {
  /** For a variable/topic/tag: the text to use as a signal address. For a folder: what to pass to browse() to open it. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'folder' | 'object' | 'variable' | 'topic' | 'tag' | 'register';
  readonly hasChildren: boolean;
  readonly dataType?: string;
  readonly access?: string;
  readonly description?: string;
  /** A last value seen while browsing (MQTT), when there is one. */
  readonly sample?: string;
}

/** A live link to one device. A rejected promise from connect(), read() or subscribe() means the link is broken. */
export interface DriverSession<A = unknown, P extends PreparedRead = PreparedRead> {
  connect(): Promise<void>;
  close(): Promise<void>;
  /** Called once if the link drops outside a request (peer closed the socket). */
  onDrop(listener: (reason: string) => void): void;
  prepare?(addresses: readonly A[]): P;
  read?(prepared: P): Promise<ReadResult>;
  subscribe?(addresses: readonly A[], timebaseMs: number, sink: PushSink): Promise<{ close(): Promise<void> }>;
  /** What the device offers under `parent` (null = the top). */
  browse?(parent: string | null, opts: { timeoutMs: number }): Promise<BrowseItem[]>;
}

export interface ProtocolDriver<C extends ConnectionConfig = ConnectionConfig, A = unknown> {
  readonly protocol: C['protocol'];
  /** 'poll': the collector ticks and calls read(); 'push': the device sends and the collector listens. */
  readonly mode: 'poll' | 'push';
  parseAddress(text: string): Result<A>;
  /** `modbus://host:port?unit=1` → a connection config (for `parx probe`/`browse`). */
  connectionFromUrl(url: string, name?: string): Result<C>;
  endpoint(config: C): string;
  open(config: C): DriverSession<A>;
  /**
   * Polled protocols: the requests one cycle of these addresses costs after packing, and their bytes on the wire (request + reply).
   * `wireMs`, when given, is the time those bytes take on this connection's own line (a serial line at its baud rate).
   */
  costRequests?(addresses: readonly A[], config?: C): { readonly requests: readonly string[]; readonly bytes: number; readonly wireMs?: number };
}
