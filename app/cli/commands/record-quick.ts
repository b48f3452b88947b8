/**
 * The field form of `parx record`: a workspace configuration made from a probe-style URL and
 * addresses, so a commissioning engineer records a few signals without writing config.json.
 */
import path from 'node:path';
import { CONFIG_VERSION, type WorkspaceConfig } from '../../shared/contract';
import { driverForUrl } from '../../drivers';
import { CliError } from '../cli-error';

export interface QuickRecording {
  readonly url: string;
  readonly addresses: readonly string[];
  readonly out: string;
  readonly timebaseMs: number;
  readonly batchBy?: string;
  readonly format?: 'parquet' | 'csv' | 'duckdb';
}

/** Signals are named by their address, as `parx probe` prints them. */
export function quickConfig(q: QuickRecording): WorkspaceConfig {
  const driver = driverForUrl(q.url);
  if (!driver) throw new CliError(`no driver for "${q.url}" (expected modbus://, modbus-rtu://, opc.tcp://, mqtt://, enip:// or egd://)`);
  const connection = driver.connectionFromUrl(q.url);
  if (!connection.ok) throw new CliError(`${q.url}: ${connection.error.message}`);
  if (q.addresses.length === 0) throw new CliError('name at least one signal address after the URL, e.g. parx record modbus://127.0.0.1:5020 hr:0:uint16 --out DIR');
  for (const a of q.addresses) {
    const parsed = driver.parseAddress(a);
    if (!parsed.ok) throw new CliError(`signal "${a}": ${parsed.error.message}`);
  }
  if (q.batchBy !== undefined && !q.addresses.includes(q.batchBy)) throw new CliError(`--batch-by "${q.batchBy}" must be one of the recorded addresses: ${q.addresses.join(', ')}`);
  const name = 'field';
  return {
    version: CONFIG_VERSION,
    connections: [{ ...connection.value, name }],
    signals: q.addresses.map((address) => ({ name: address, unit: '', description: '', connection: name, address, scale: 1, offset: 0, timebaseMs: q.timebaseMs })),
    recording: {
      enabled: true,
      line: 'Field',
      rule: q.batchBy !== undefined ? { mode: 'coil', coilSignal: q.batchBy } : { mode: 'continuous', rotateEveryMs: 3_600_000 },
      compression: 'zstd',
      destination: path.resolve(q.out),
      ...(q.format ? { format: q.format } : {}),
    },
  };
}
