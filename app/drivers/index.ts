/** The protocol drivers, by protocol name. Adding a protocol means adding its folder and one line here. */
import type { ConnectionConfig, Protocol } from '../shared/contract';
import type { ProtocolDriver } from './driver';
import { enipDriver } from './enip/enip-driver';
import { modbusDriver } from './modbus/modbus-driver';
import { modbusRtuDriver } from './modbus-rtu/modbus-rtu-driver';
import { mqttDriver } from './mqtt/mqtt-driver';
import { opcuaDriver } from './opcua/opcua-driver';
import { egdDriver } from './egd/egd-driver';

type DriverTable = { readonly [P in Protocol]: ProtocolDriver<Extract<ConnectionConfig, { protocol: P }>> };

export const DRIVERS: DriverTable = {
  modbus: modbusDriver,
  'modbus-rtu': modbusRtuDriver,
  enip: enipDriver,
  mqtt: mqttDriver,
  opcua: opcuaDriver,
  egd: egdDriver,
};

export class MissingDriverError extends Error {
  override readonly name = 'MissingDriverError';
}

export function findDriver(protocol: string): ProtocolDriver | undefined {
  return (DRIVERS as Record<string, ProtocolDriver | undefined>)[protocol];
}

export function driverFor<C extends ConnectionConfig>(c: C): ProtocolDriver<C> {
  const d = findDriver(c.protocol);
  if (!d) throw new MissingDriverError(`protocol "${c.protocol}" has no driver in this build`);
  return d as unknown as ProtocolDriver<C>;
}

/** The driver for a URL's scheme (modbus://, modbus-rtu://, opc.tcp://, mqtt://, enip://, egd://). */
export function driverForUrl(url: string): ProtocolDriver | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const protocol = { modbus: 'modbus', 'modbus+tcp': 'modbus', 'modbus-rtu': 'modbus-rtu', 'opc.tcp': 'opcua', mqtt: 'mqtt', mqtts: 'mqtt', enip: 'enip', egd: 'egd' }[scheme ?? ''];
  return protocol ? findDriver(protocol) : undefined;
}
