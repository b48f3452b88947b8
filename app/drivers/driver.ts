/**
 * One interface for every protocol. A driver parses its own address syntax and opens
 * sessions; the collector runtime (app/collector) owns scheduling, reconnects and quality.
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

/** A live link to one device. A rejected promise from connect() or read() means the link is broken. */
export interface DriverSession<A, P extends PreparedRead = PreparedRead> {
  connect(): Promise<void>;
  prepare(addresses: readonly A[]): P;
  read(prepared: P): Promise<ReadResult>;
  close(): Promise<void>;
  /** Called once if the link drops outside a read (peer closed the socket). */
  onDrop(listener: (reason: string) => void): void;
}

export interface ProtocolDriver<C extends ConnectionConfig = ConnectionConfig, A = unknown> {
  readonly protocol: C['protocol'];
  parseAddress(text: string): Result<A>;
  endpoint(config: C): string;
  open(config: C): DriverSession<A>;
}
