/**
 * The recorder thread: owns its DuckDB, so writing and sorting a large batch never stalls
 * the engine. Requests are handled strictly one after another, in arrival order, so an
 * append can never overtake the open or the close around it; only a close's final file is
 * written in the background, after its batch is whole in staging (see closeInBackground).
 */
import { parentPort } from 'node:worker_threads';
import { toParxError } from '../shared/result';
import { batchTransferables } from '../shared/samples';
import type { FromRecorder, ToRecorder } from './messages';
import { Recorder } from './recorder';

const port = parentPort;
if (!port) throw new Error('recorder.worker must run in a worker thread');

let recorder: Recorder | undefined;
let queue: Promise<void> = Promise.resolve();

const need = (): Recorder => {
  if (!recorder) throw new Error('recorder not started');
  return recorder;
};

async function handle(m: ToRecorder): Promise<unknown> {
  switch (m.type) {
    case 'start': {
      const started = await Recorder.start(m.recordings, m.options);
      recorder = started.recorder;
      return started.recovery;
    }
    case 'open':
      await need().open(m.descriptor);
      return null;
    case 'append':
      await need().append(m.id, m.batch, m.from, m.to, m.resume);
      return null;
    case 'checkpoint':
      return need().checkpoint(m.resume);
    case 'tag':
      await need().tag(m.id, m.coil);
      return null;
    case 'close':
      // Never reached: the message handler hands a close to closeInBackground, which replies when its file is written.
      throw new Error('close is handled by closeInBackground');
    case 'memory':
      return { ...(await need().memory()), heapUsedBytes: process.memoryUsage().heapUsed, arrayBuffersBytes: process.memoryUsage().arrayBuffers };
    case 'stop':
      await recorder?.stop();
      recorder = undefined;
      return null;
  }
}

/** Replies; an append's buffers go back with it (their rows are copied into the batch by then). */
const reply = (m: ToRecorder, p: Promise<unknown>): Promise<void> => {
  const send = (result: FromRecorder['result']): void => {
    const spare = m.type === 'append' ? batchTransferables(m.batch) : [];
    port.postMessage({ type: 'reply', seq: m.seq, result, ...(spare.length > 0 ? { spare } : {}) } satisfies FromRecorder, spare);
  };
  return p.then(
    (value) => send({ ok: true, value }),
    (e: unknown) => send({ ok: false, error: toParxError(e, 'io') }),
  );
};

/**
 * A close holds the queue only until the batch is whole on disk; its final file is written
 * beside the requests that follow (appends to the next batch), and its reply is sent when
 * the file is renamed — after the close, as before, whatever was answered in between.
 */
async function closeInBackground(m: Extract<ToRecorder, { type: 'close' }>): Promise<void> {
  try {
    const { done } = await need().close(m.id, m.close, m.resume);
    void reply(m, done);
  } catch (e) {
    await reply(m, Promise.reject(e instanceof Error ? e : new Error(String(e))));
  }
}

port.on('message', (m: ToRecorder) => {
  // Read-only and on its own connection: answered at once, also while a long close runs.
  if (m.type === 'memory' && recorder) return void reply(m, handle(m));
  queue = queue.then(() => (m.type === 'close' ? closeInBackground(m) : reply(m, handle(m))));
  if (m.type === 'stop') void queue.then(() => port.close());
});
