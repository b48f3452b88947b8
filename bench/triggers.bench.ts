/**
 * The trigger engine's cost per sample: the pool (on-change deadband on 100 signals, a level,
 * an edge and a formula trigger) judging journal-sized batches of 1,000 signals, in this
 * thread, against the same batches only scanned once for their newest time (the least any
 * consumer does) — and the round trip through the trigger worker, as the pump uses it.
 * Quick run: PARX_BENCH_TRIGGERS_BATCHES=50.
 */
import { TriggerSchema, OnChangeBandSchema } from '../app/shared/contract/trigger-config';
import { TriggerPool } from '../app/recorder/triggers/pool';
import { TriggerHost } from '../app/recorder/triggers/trigger-host';
import type { SampleBatch } from '../app/shared/samples';

type Emit = (row: Record<string, unknown>) => void;

const SIGNALS = 1000;
const BATCHES = Number(process.env.PARX_BENCH_TRIGGERS_BATCHES ?? 400);
const STEPS = 25; // 25 polls of every signal per batch: 250 ms at 10 ms
const signals = Array.from({ length: SIGNALS }, (_, id) => ({ id, name: `S${id}`, unit: '', timebaseMs: 10 }));

function batch(k: number): SampleBatch {
  const n = SIGNALS * STEPS;
  const b = { signal: new Uint32Array(n), ts: new Float64Array(n), value: new Float64Array(n), quality: new Uint8Array(n) };
  for (let s = 0; s < STEPS; s++) {
    const t = 1_700_000_000_000 + (k * STEPS + s) * 10;
    for (let id = 0; id < SIGNALS; id++) {
      const i = s * SIGNALS + id;
      b.signal[i] = id;
      b.ts[i] = t;
      b.value[i] = id === 1 ? ((k * STEPS + s) % 200 < 20 ? 1 : 0) : 100 * Math.sin((k * STEPS + s) / 50 + id) + (id % 7);
    }
  }
  return b;
}

const config = {
  signals,
  onChange: Array.from({ length: 100 }, (_, i) => OnChangeBandSchema.parse({ signal: `S${i + 10}`, deadband: 1, maxIntervalMs: 10_000 })),
  triggers: [
    TriggerSchema.parse({ name: 'level', start: { type: 'level', signal: 'S0', threshold: 90, hysteresis: 5, minDurationMs: 50 }, preMs: 1000, postMs: 1000 }),
    TriggerSchema.parse({ name: 'edge', start: { type: 'edge', signal: 'S1' }, preMs: 500, postMs: 500 }),
    TriggerSchema.parse({ name: 'formula', start: { type: 'formula', formula: 'S2 > 50 and sma(S3, 200ms) < 0' }, postMs: 200 }),
  ],
};

export default async function run(emit: Emit): Promise<void> {
  const data = Array.from({ length: Math.min(BATCHES, 40) }, (_, k) => batch(k));
  const samples = BATCHES * SIGNALS * STEPS;
  const at = (k: number): SampleBatch => {
    const b = data[k % data.length] as SampleBatch;
    const shift = Math.floor(k / data.length) * data.length * STEPS * 10;
    return shift === 0 ? b : { ...b, ts: b.ts.map((t) => t + shift) };
  };
  const inputs = Array.from({ length: BATCHES }, (_, k) => at(k));

  let t0 = performance.now();
  let newest = -Infinity;
  for (const b of inputs) for (let i = 0; i < b.ts.length; i++) if ((b.ts[i] as number) > newest) newest = b.ts[i] as number;
  const baseMs = performance.now() - t0;

  const pool = TriggerPool.create(config);
  if (!pool.ok) throw new Error(pool.error.message);
  let events = 0;
  t0 = performance.now();
  for (const b of inputs) events += pool.value.feed(b).events.length;
  const poolMs = performance.now() - t0;
  emit({ bench: 'triggers', case: 'pool in-thread', samples, events, samplesPerSec: Math.round(samples / (poolMs / 1000)), baseline: 'one scan for the newest time', baselineSamplesPerSec: Math.round(samples / (baseMs / 1000)) });

  const started = await TriggerHost.start(config);
  if (!started.ok) throw new Error(started.error.message);
  t0 = performance.now();
  for (const b of inputs) {
    const r = await started.value.host.feed(b);
    if (!r.ok) throw new Error(r.error.message);
  }
  const workerMs = performance.now() - t0;
  await started.value.host.stop();
  emit({ bench: 'triggers', case: 'pool via worker (copy + reply)', samples, samplesPerSec: Math.round(samples / (workerMs / 1000)), baseline: 'pool in-thread, same run', baselineSamplesPerSec: Math.round(samples / (poolMs / 1000)), newest });
}
