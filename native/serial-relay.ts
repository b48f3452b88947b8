/**
 * A serial port as modbus-serial expects one (open/close/write/isOpen, 'data' per whole RTU
 * frame), relayed to a child process that owns the real port (native/serial-child.mjs).
 * Works from worker threads, where serialport's binding cannot run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ModbusRTU } from './modbus-serial';

const CHILD = fileURLToPath(new URL('./serial-child.mjs', import.meta.url));

export interface SerialLineOptions {
  readonly baudRate: number;
  readonly parity: 'none' | 'even' | 'odd';
  readonly dataBits: 7 | 8;
  readonly stopBits: 1 | 2;
}

type ChildMessage = { type: 'opened'; error?: string } | { type: 'data'; frame: Uint8Array } | { type: 'error'; message: string } | { type: 'close' };

class RelayPort extends EventEmitter {
  private child: ChildProcess | undefined;
  private open_ = false;

  constructor(
    private readonly path: string,
    private readonly options: SerialLineOptions,
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.open_;
  }

  open(callback: (error?: Error | null) => void): void {
    // No TypeScript loader flags for the child: it is plain JavaScript and should start fast.
    const child = fork(CHILD, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    let answered = false;
    const answer = (error?: Error): void => {
      if (answered) return;
      answered = true;
      callback(error ?? null);
    };
    child.on('message', (m: ChildMessage) => {
      switch (m.type) {
        case 'opened':
          if (m.error) return answer(new Error(`cannot open ${this.path}: ${m.error}`));
          this.open_ = true;
          return answer();
        case 'data':
          return void this.emit('data', Buffer.from(m.frame));
        case 'error':
          return void this.emit('error', new Error(`${this.path}: ${m.message}`));
        case 'close':
          return this.lost(`${this.path} was closed (the adapter unplugged?)`);
      }
    });
    child.on('error', (e) => {
      answer(new Error(`the serial helper for ${this.path} did not start: ${e.message}`));
      this.lost(e.message);
    });
    child.on('exit', (code, signal) => {
      const why = `the serial helper for ${this.path} exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`;
      answer(new Error(why));
      this.lost(why);
    });
    child.send({ type: 'open', path: this.path, options: this.options });
  }

  private lost(reason: string): void {
    if (!this.open_) return;
    this.open_ = false;
    this.emit('error', new Error(reason));
    this.emit('close');
  }

  write(data: Buffer): void {
    this.child?.send({ type: 'write', data: new Uint8Array(data) });
  }

  close(callback?: () => void): void {
    const child = this.child;
    this.open_ = false;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return void callback?.();
    child.removeAllListeners('message');
    child.removeAllListeners('exit');
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    child.once('exit', () => {
      clearTimeout(timer);
      callback?.();
    });
    if (child.connected) child.send({ type: 'close' });
    else child.kill('SIGKILL');
  }
}

/** A Modbus client whose serial port lives in a helper process. Open it with `client.open()`. */
export function serialModbusClient(path: string, options: SerialLineOptions): InstanceType<typeof ModbusRTU> {
  return new ModbusRTU(new RelayPort(path, options) as never);
}
