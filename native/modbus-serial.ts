/**
 * modbus-serial loads serialport's native binding as soon as it is imported (for Modbus
 * RTU), so it is reached only through this file: packaging unpacks the binding from asar,
 * and lint keeps every other folder from importing it directly.
 */
import ModbusRTU, { ServerTCP } from 'modbus-serial';

export { ModbusRTU, ServerTCP };
export type { IServiceVector } from 'modbus-serial';
