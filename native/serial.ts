/**
 * Serial ports, for Modbus RTU. serialport ships a native binding that may not load on every
 * machine (a missing prebuild, an Electron ABI mismatch), so callers ask here first and get
 * the reason instead of a crash when the first connection opens.
 */
import { createRequire } from 'node:module';

export interface SerialPortInfo {
  readonly path: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
}

interface SerialPortModule {
  SerialPort: { list(): Promise<{ path: string; manufacturer?: string; serialNumber?: string }[]> };
}

let loaded: { module: SerialPortModule } | { reason: string } | undefined;

function load(): { module: SerialPortModule } | { reason: string } {
  if (loaded) return loaded;
  try {
    // The binding is loaded by requiring the package; a failure here is the one we report.
    loaded = { module: createRequire(import.meta.url)('serialport') as SerialPortModule };
  } catch (e) {
    loaded = { reason: `serial ports are unavailable on this machine: ${e instanceof Error ? e.message : String(e)}` };
  }
  return loaded;
}

/** null when serial ports work here, else why not. */
export function serialUnavailableReason(): string | null {
  const l = load();
  return 'reason' in l ? l.reason : null;
}

/** The serial ports the operating system reports (USB adapters, on-board UARTs). */
export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  const l = load();
  if ('reason' in l) throw new Error(l.reason);
  const ports = await l.module.SerialPort.list();
  return ports.map((p) => ({ path: p.path, ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}), ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}) }));
}
