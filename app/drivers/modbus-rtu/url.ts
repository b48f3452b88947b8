/**
 * `modbus-rtu:///dev/ttyUSB0?baud=19200&parity=even&unit=1` → a Modbus RTU connection.
 * Also `modbus-rtu://COM3?…` on Windows. Pure: tested without a serial port.
 */
import { ModbusRtuConnectionSchema, describeProblems, zodProblems, type ModbusRtuConnectionConfig } from '../../shared/contract';
import { err, ok, parxError, type Result } from '../../shared/result';

const EXAMPLE = 'modbus-rtu:///dev/ttyUSB0?baud=19200&parity=even&unit=1';
const KNOWN = new Set(['baud', 'parity', 'data', 'databits', 'stop', 'stopbits', 'unit', 'timeout']);

function number(params: URLSearchParams, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = params.get(k);
    if (v !== null) return v.trim() === '' ? NaN : Number(v);
  }
  return undefined;
}

export function rtuConnectionFromUrl(text: string, name = 'probe'): Result<ModbusRtuConnectionConfig> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(parxError('invalid-request', `"${text}" is not a URL (expected ${EXAMPLE})`));
  }
  if (url.protocol !== 'modbus-rtu:') return err(parxError('invalid-request', `"${text}" is not a modbus-rtu:// URL (expected ${EXAMPLE})`));
  const unknown = [...url.searchParams.keys()].filter((k) => !KNOWN.has(k.toLowerCase()));
  if (unknown.length) return err(parxError('invalid-request', `${text}: unknown parameter ${unknown.map((k) => `"${k}"`).join(', ')} (known: baud, parity, data, stop, unit, timeout)`));
  // modbus-rtu:///dev/ttyX has an empty host and the device as path; modbus-rtu://COM3 has it as host.
  const path = decodeURIComponent(url.host ? `${url.host}${url.pathname === '/' ? '' : url.pathname}` : url.pathname);
  if (path === '' || path === '/') return err(parxError('invalid-request', `${text}: no serial device (expected ${EXAMPLE})`));
  const p = url.searchParams;
  const candidate: Record<string, unknown> = { name, protocol: 'modbus-rtu', path };
  const put = (key: string, value: unknown): void => {
    if (value !== undefined) candidate[key] = value;
  };
  put('baudRate', number(p, 'baud'));
  put('parity', p.get('parity')?.toLowerCase() ?? undefined);
  put('dataBits', number(p, 'data', 'databits'));
  put('stopBits', number(p, 'stop', 'stopbits'));
  put('unitId', number(p, 'unit'));
  put('timeoutMs', number(p, 'timeout'));
  const parsed = ModbusRtuConnectionSchema.safeParse(candidate);
  if (!parsed.success) return err(parxError('invalid-request', `${text}: ${describeProblems(zodProblems(parsed.error))}`));
  return ok(parsed.data);
}

/** The URL form back: the device and every line setting, so a log line says which port and how. */
export function rtuEndpoint(c: ModbusRtuConnectionConfig): string {
  return `modbus-rtu://${c.path}?baud=${c.baudRate}&parity=${c.parity}&data=${c.dataBits}&stop=${c.stopBits}&unit=${c.unitId}`;
}
