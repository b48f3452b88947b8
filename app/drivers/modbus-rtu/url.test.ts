import { describe, expect, it } from 'vitest';
import { ConnectionSchema } from '../../shared/contract';
import { driverForUrl } from '..';
import { rtuConnectionFromUrl, rtuEndpoint } from './url';

describe('modbus-rtu:// URLs', () => {
  it('reads the device and every line setting', () => {
    const r = rtuConnectionFromUrl('modbus-rtu:///dev/ttyUSB0?baud=9600&parity=odd&data=7&stop=2&unit=17&timeout=250');
    expect(r.ok && r.value).toEqual({ name: 'probe', protocol: 'modbus-rtu', path: '/dev/ttyUSB0', baudRate: 9600, parity: 'odd', dataBits: 7, stopBits: 2, unitId: 17, timeoutMs: 250, enabled: true });
  });

  it('defaults to 19200 8E1, unit 1, as the Modbus serial line spec does', () => {
    const r = rtuConnectionFromUrl('modbus-rtu:///dev/ttyS1');
    expect(r.ok && r.value).toMatchObject({ path: '/dev/ttyS1', baudRate: 19200, parity: 'even', dataBits: 8, stopBits: 1, unitId: 1 });
  });

  it('takes a Windows port as the host, keeping its case', () => {
    const r = rtuConnectionFromUrl('modbus-rtu://COM3?baud=115200');
    expect(r.ok && r.value.path).toBe('COM3');
  });

  it.each([
    ['modbus-rtu:///dev/ttyS0?baud=fast', /baudRate/],
    ['modbus-rtu:///dev/ttyS0?parity=mark', /parity/],
    ['modbus-rtu:///dev/ttyS0?unit=0', /unitId.*between 1 and 247/],
    ['modbus-rtu:///dev/ttyS0?data=6', /dataBits/],
    ['modbus-rtu:///dev/ttyS0?speed=9600', /unknown parameter "speed"/],
    ['modbus-rtu://', /no serial device/],
    ['modbus://host:502', /not a modbus-rtu:\/\/ URL/],
    ['not a url', /not a URL/],
  ])('refuses %s and says why', (url, why) => {
    const r = rtuConnectionFromUrl(url);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(why);
  });

  it('round-trips through its endpoint text and the connection union', () => {
    const r = rtuConnectionFromUrl('modbus-rtu:///dev/ttyUSB0?baud=38400&parity=none&stop=2&unit=5');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const again = rtuConnectionFromUrl(rtuEndpoint(r.value));
    expect(again.ok && again.value).toEqual(r.value);
    expect(ConnectionSchema.safeParse(r.value).success).toBe(true);
    expect(driverForUrl(rtuEndpoint(r.value))?.protocol).toBe('modbus-rtu');
  });
});
