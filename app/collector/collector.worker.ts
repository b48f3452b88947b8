/**
 * The collector thread. Polling runs here so that a busy UI or engine never delays a read,
 * and samples reach the engine as transferred typed arrays.
 */
import { parentPort } from 'node:worker_threads';
import { batchTransferables } from '../shared/samples';
import { toParxError } from '../shared/result';
import { Collector } from './collector';
import type { FromCollector, ToCollector } from './messages';

const port = parentPort;
if (!port) throw new Error('collector.worker must run in a worker thread');

const post = (m: FromCollector, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

const collector = new Collector({
  samples: (batch) => post({ type: 'samples', batch }, batchTransferables(batch)),
  status: (status) => post({ type: 'status', status }),
  log: (level, message) => post({ type: 'log', level, message }),
});

const statsTimer = setInterval(() => post({ type: 'stats', groups: collector.groupStats(), connections: collector.statuses() }), 1000);

port.on('message', (m: ToCollector) => {
  const reply = (p: Promise<unknown>): void => {
    p.then(
      () => post({ type: 'reply', seq: m.seq, result: { ok: true, value: null } }),
      (e: unknown) => post({ type: 'reply', seq: m.seq, result: { ok: false, error: toParxError(e) } }),
    );
  };
  switch (m.type) {
    case 'configure':
      reply(collector.configure(m.plan));
      break;
    case 'stop':
      clearInterval(statsTimer);
      reply(collector.stop().then(() => port.close()));
      break;
  }
});
