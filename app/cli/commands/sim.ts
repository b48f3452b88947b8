/**
 * parx sim: the demo line over every protocol ParX speaks. Each protocol is switched on by its
 * flag; with no protocol flag, Modbus TCP on 5020. Protocol servers are loaded only when asked
 * for (node-opcua alone takes seconds to load).
 */
import { startDemoLine } from '../../sim/demo-line';
import { CliError, parseCli, portOption, untilSignal } from '../cli-error';

interface Running {
  readonly describe: string;
  stop(): Promise<void>;
}

export async function runSim(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    modbus: { type: 'string' },
    opcua: { type: 'string' },
    mqtt: { type: 'string' },
    enip: { type: 'string' },
    egd: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
  });
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new CliError(`--seed must be an integer, not "${values.seed}"`);
  const host = values.host ?? '127.0.0.1';
  const anyProtocol = [values.egd, values.opcua, values.mqtt, values.enip].some((v) => v !== undefined);
  const modbusPort = portOption(values.modbus, '--modbus') ?? (anyProtocol ? undefined : 5020);

  let line;
  try {
    line = await startDemoLine({ host, modbusPort: modbusPort ?? 0, seed });
  } catch (e) {
    throw new CliError(`cannot serve Modbus TCP on ${host}:${modbusPort}: ${(e as Error).message}`, 1);
  }
  const state = line.latest;
  const running: Running[] = [];
  const out: string[] = [];
  if (modbusPort !== undefined) out.push(`Demo line: Modbus TCP at ${line.modbus.host}:${line.modbus.port} unit 1 (map: resources/demo-line/modbus-map.md)`);
  try {
    if (values.opcua !== undefined) {
      const { serveOpcUa } = await import('../../sim/opcua-server');
      const s = await serveOpcUa(state, { host, port: portOption(values.opcua, '--opcua') });
      running.push({ describe: 'opcua', stop: () => s.close() });
      out.push(`Demo line: OPC UA at ${s.endpointUrl} (map: resources/demo-line/opcua-map.md)`);
    }
    if (values.mqtt !== undefined) {
      const { publishLine } = await import('../../sim/mqtt-publisher');
      const pub = await publishLine(state, { url: values.mqtt, sparkplug: { group: 'Plant', node: 'Line1', device: 'PLC' } });
      running.push({ describe: 'mqtt', stop: () => pub.stop() });
      out.push(`Demo line: MQTT to ${values.mqtt} — plain and JSON under parx/demo/…, Sparkplug B as Plant/Line1/PLC (map: resources/demo-line/mqtt-map.md)`);
    }
    if (values.enip !== undefined) {
      const { serveEnip } = await import('../../sim/enip-server');
      const s = await serveEnip(state, { host, port: portOption(values.enip, '--enip') });
      running.push({ describe: 'enip', stop: () => s.close() });
      out.push(`Demo line: EtherNet/IP (Logix tags) at enip://${host}:${s.port}?slot=0 (map: resources/demo-line/enip-map.md)`);
    }
    if (values.egd !== undefined) {
      const { produceEgd, EGD_DEMO_PRODUCER } = await import('../../sim/egd-producer');
      const p = await produceEgd(state, { target: values.egd, periodMs: 100 });
      running.push({ describe: 'egd', stop: () => p.stop() });
      out.push(`Demo line: EGD exchange 1 from producer ${EGD_DEMO_PRODUCER} to ${values.egd} every 100 ms (map: resources/demo-line/egd-map.md)`);
    }
  } catch (e) {
    for (const r of running) await r.stop();
    await line.stop();
    throw new CliError((e as Error).message, 1);
  }
  for (const l of out) process.stdout.write(`${l}\n`);
  await untilSignal();
  for (const r of running) await r.stop();
  await line.stop();
  return 0;
}
