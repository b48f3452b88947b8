import { startDemoLine } from '../../sim/demo-line';
import { CliError, parseCli, portOption, untilSignal } from '../cli-error';

export async function runSim(args: string[]): Promise<number> {
  const { values } = parseCli(args, { modbus: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' } });
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new CliError(`--seed must be an integer, not "${values.seed}"`);
  const host = values.host ?? '127.0.0.1';
  let line;
  try {
    line = await startDemoLine({ host, modbusPort: portOption(values.modbus, '--modbus') ?? 5020, seed });
  } catch (e) {
    throw new CliError(`cannot serve Modbus TCP on ${host}:${values.modbus ?? 5020}: ${(e as Error).message}`, 1);
  }
  process.stdout.write(`Demo line: Modbus TCP at ${line.modbus.host}:${line.modbus.port} unit 1 (register map: resources/demo-line/modbus-map.md)\n`);
  await untilSignal();
  await line.stop();
  return 0;
}
