/**
 * A child process owning one serial port for Modbus RTU. serialport's native poller calls back
 * on the main loop, so the port crashes the process when opened from a worker thread
 * (serialport/node-serialport#2250, #2748); the collector is a worker. Here the port lives in a
 * process of its own and trades whole RTU frames with its parent over IPC (native/serial-relay.ts),
 * which also keeps a crash of the binding from taking the collector down.
 * Plain JavaScript: it starts in milliseconds without the TypeScript loader.
 */
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// modbus-serial's buffered RTU port: cuts the byte stream into frames by the request it last wrote.
const RTUBufferedPort = require('modbus-serial/ports/rtubufferedport');

const send = (message) => {
  if (process.connected) process.send(message);
};
const text = (e) => (e instanceof Error ? e.message : String(e));

let port;

process.on('message', (m) => {
  switch (m.type) {
    case 'open':
      port = new RTUBufferedPort(m.path, { ...m.options });
      port.on('data', (frame) => send({ type: 'data', frame }));
      port.on('error', (e) => send({ type: 'error', message: text(e) }));
      port.on('close', () => send({ type: 'close' }));
      port.open((e) => send(e ? { type: 'opened', error: text(e) } : { type: 'opened' }));
      break;
    case 'write':
      port?.write(Buffer.from(m.data));
      break;
    case 'close':
      if (port?.isOpen) port.close(() => process.exit(0));
      else process.exit(0);
      break;
  }
});
// The parent went away: nobody is left to read the port.
process.on('disconnect', () => process.exit(0));
