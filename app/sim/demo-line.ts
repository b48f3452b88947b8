/**
 * The demo line: the strip-line model stepping on its own clock, written into a register
 * image, served over Modbus TCP. `parx sim`, `parx serve --demo` and the tests use it.
 */
import { StripLine, type LineOptions, type LineState } from './line-model';
import { createRegisterImage, writeLineState, type RegisterImage } from './modbus-map';
import { serveModbus, type ModbusSimServer } from './modbus-server';

export interface DemoLineOptions extends LineOptions {
  readonly host?: string;
  /** Modbus TCP port; a free one when omitted. */
  readonly modbusPort?: number;
  /** How often the model advances and the registers change. */
  readonly updateMs?: number;
}

export interface DemoLine {
  readonly image: RegisterImage;
  readonly modbus: ModbusSimServer;
  latest(): LineState;
  /** Stops updating the registers (the server keeps answering) — benchmarks write registers themselves. */
  freeze(): void;
  stop(): Promise<void>;
}

export async function startDemoLine(options: DemoLineOptions = {}): Promise<DemoLine> {
  const image = createRegisterImage();
  const line = new StripLine({ ...options, startMs: options.startMs ?? Date.now() });
  let state = line.step(Date.now());
  writeLineState(image, state);
  const modbus = await serveModbus(image, { host: options.host, port: options.modbusPort });
  let timer: ReturnType<typeof setInterval> | undefined = setInterval(() => {
    state = line.step(Date.now());
    writeLineState(image, state);
  }, options.updateMs ?? 10);
  const freeze = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    image,
    modbus,
    latest: () => state,
    freeze,
    stop: async () => {
      freeze();
      await modbus.close();
    },
  };
}
