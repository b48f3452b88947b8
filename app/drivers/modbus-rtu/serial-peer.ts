/**
 * For tests: a virtual serial cable (socat joins two pseudo-terminals) with Debian's pymodbus
 * serving Modbus RTU on one end, so ParX reads the other end as it would a real RS-485 adapter.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { serialUnavailableReason } from '../../../native/serial';
import { waitFor } from '../../testing/helpers';

const SOCAT = '/usr/bin/socat';
const PYTHON = '/usr/bin/python3';
const SERVER = new URL('../modbus/peers/pymodbus_server.py', import.meta.url).pathname;
const run = promisify(execFile);

/** Why the serial tests cannot run here, or null when they can. */
export function serialTestsUnavailable(): string | null {
  if (!fs.existsSync(SOCAT)) return `${SOCAT} is missing (Debian package socat), so no virtual serial cable can be made`;
  return serialUnavailableReason();
}

export interface SerialCable {
  /** The end the device (pymodbus) opens. */
  readonly device: string;
  /** The end ParX opens. */
  readonly host: string;
  stop(): Promise<void>;
}

/** Kill the peer with the test process too, even when a test fails before its cleanup. */
function tiedToThisProcess(p: ChildProcess): ChildProcess {
  const kill = (): void => void p.kill('SIGKILL');
  process.once('exit', kill);
  p.once('exit', () => process.off('exit', kill));
  return p;
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill('SIGKILL');
  await gone;
}

export async function startSerialCable(dir: string): Promise<SerialCable> {
  const device = path.join(dir, 'device');
  const host = path.join(dir, 'parx');
  const socat = tiedToThisProcess(spawn(SOCAT, ['-d', '-d', `pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${host}`], { stdio: ['ignore', 'ignore', 'pipe'] }));
  let log = '';
  socat.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor(() => (fs.existsSync(device) && fs.existsSync(host)) || socat.exitCode !== null, 'socat pseudo-terminals', 10_000);
  if (socat.exitCode !== null) throw new Error(`socat exited: ${log}`);
  return { device, host, stop: () => stopProcess(socat) };
}

export interface SerialDevice {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * pymodbus answering as `unit` on `device`. It opens its end without parity: Linux
 * pseudo-terminals refuse PARENB (EINVAL), and a pty carries bytes whatever either end sets.
 */
export async function startPymodbusRtu(device: string, unit: number, seed: unknown, baud = 19_200): Promise<SerialDevice> {
  const check = await run(PYTHON, ['-c', 'import pymodbus, serial_asyncio']).catch((e: Error) => e);
  if (check instanceof Error) throw new Error('python3-pymodbus or python3-serial-asyncio is missing: install those Debian packages');
  const proc = tiedToThisProcess(spawn(PYTHON, [SERVER, '--serial', device, String(baud), 'N', String(unit), JSON.stringify(seed)], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes(`READY ${device}`) || proc.exitCode !== null, 'pymodbus serial server', 20_000);
  if (proc.exitCode !== null) throw new Error(`pymodbus serial server exited: ${out}`);
  return { process: proc, stop: () => stopProcess(proc) };
}
