/** The part of ethernet-ip 1.2.5 (plain JS, no types of its own) that the EtherNet/IP driver uses. */
declare module 'ethernet-ip' {
  import { Socket } from 'node:net';

  export interface ControllerState {
    TCP: { establishing: boolean; established: boolean };
    session: { id: number | null; establishing: boolean; established: boolean };
    controller: { slot: number | null; path: Buffer | null; name: string | null };
  }

  export class Controller extends Socket {
    constructor(opts?: { queue_max_size?: number });
    state: ControllerState;
    /** Wraps a message router request in an Unconnected Send to the slot and sends it in SendRRData. */
    write_cip(data: Buffer, connected?: boolean, timeout?: number, cb?: (() => void) | null): void;
    readTagGroup(group: TagGroup): Promise<void>;
    protected _handleDataEvent(data: Buffer): void;
    protected _handleCloseEvent(hadError: boolean): void;
    protected _initializeControllerEventHandlers(): void;
  }

  export class Tag {
    constructor(tagname: string, program?: string | null, datatype?: number | null, keepAlive?: number);
    readonly instance_id: string;
    readonly name: string;
    static isValidTagname(name: string): boolean;
    generateReadMessageRequest(size?: number | null): Buffer;
  }

  export class TagGroup {
    add(tag: Tag): void;
    // Not `length`: 1.2.5's getter reads an undefined field and throws.
    generateReadMessageRequests(): { data: Buffer; tag_ids: string[] }[];
  }

  export const EthernetIP: {
    encapsulation: {
      registerSession(): Buffer;
      unregisterSession(session: number): Buffer;
      parseStatus(status: number): string;
    };
    CIP: { EPATH: { segments: { PORT: { build(port: number, link: number | string): Buffer } } } };
  };
}
