/**
 * The trigger engine's thread: evaluates the pool's conditions and the on-change filter
 * over every journal batch, so formulas and deadbands never stall the engine's thread.
 * Requests are answered strictly in order, each with a Result.
 */
import { parentPort } from 'node:worker_threads';
import { toParxError } from '../../shared/result';
import { TriggerPool } from './pool';
import type { FromTriggers, ToTriggers } from './trigger-messages';

const port = parentPort;
if (!port) throw new Error('trigger.worker must run in a worker thread');

let pool: TriggerPool | undefined;

function handle(m: ToTriggers): unknown {
  switch (m.type) {
    case 'configure': {
      const p = TriggerPool.create(m.config);
      // A plain ParxError object: it crosses the thread boundary with its kind and path.
      if (!p.ok) throw p.error;
      pool = p.value;
      return { names: pool.names };
    }
    case 'feed': {
      if (!pool) throw new Error('trigger pool not configured');
      const step = pool.feed(m.batch);
      return { ...step, status: pool.status() };
    }
    case 'stop':
      pool = undefined;
      return null;
  }
}

port.on('message', (m: ToTriggers) => {
  let reply: FromTriggers;
  try {
    reply = { seq: m.seq, result: { ok: true, value: handle(m) } };
  } catch (e) {
    reply = { seq: m.seq, result: { ok: false, error: toParxError(e, 'internal') } };
  }
  const keep = reply.result.ok ? (reply.result.value as { keep?: Uint8Array | null } | null)?.keep : null;
  port.postMessage(reply, keep ? [keep.buffer as ArrayBuffer] : []);
  if (m.type === 'stop') port.close();
});
