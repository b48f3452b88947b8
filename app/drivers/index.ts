/** The protocol drivers, by protocol name. Adding a protocol means adding it here and to the config schema. */
import type { ConnectionConfig, Protocol } from '../shared/contract';
import type { ProtocolDriver } from './driver';
import { modbusDriver } from './modbus/modbus-driver';

export const DRIVERS: { readonly [P in Protocol]: ProtocolDriver<Extract<ConnectionConfig, { protocol: P }>> } = {
  modbus: modbusDriver,
};

export function driverFor<C extends ConnectionConfig>(c: C): ProtocolDriver<C> {
  return DRIVERS[c.protocol as Protocol] as unknown as ProtocolDriver<C>;
}
