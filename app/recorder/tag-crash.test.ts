/**
 * A coil id learnt after the batch opened survives kill -9: the recorder stages it (tag)
 * and recovery names and tags the file with it. Two batches open at once (a trigger pool)
 * are both recovered with everything checkpointed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../testing/helpers';
import { RecorderHost } from './recorder-host';
import { readWithHyparquet } from './testing/readers';

describe('coil id learnt after opening, then kill -9', () => {
  it('recovery names and tags the file with the coil id', async () => {
    const dir = await tempDir('parx-tag-crash-');
    const fixture = fileURLToPath(new URL('./fixtures/tag-crash-recorder.ts', import.meta.url));
    const loader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
    const child = spawn(process.execPath, ['--import', loader, fixture, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('TAGGED'), 'the coil id to be tagged', 30_000);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const acked = Number(/TAGGED (\d+)/.exec(out)?.[1]);

    const started = await RecorderHost.start(dir);
    await started.host.stop();
    if (!started.recovery.ok) throw new Error(started.recovery.error.message);
    const { recovered, problems, checkpoint } = started.recovery.value;
    expect(problems).toEqual([]);
    expect(recovered.map((f) => f.id).sort()).toEqual(['coil-batch', 'trigger-batch']);
    const coil = recovered.find((f) => f.id === 'coil-batch');
    expect(coil?.coil).toBe('4711');
    expect(path.basename(coil?.file ?? '')).toBe('coil-batch_coil-4711.parquet');
    const hy = await readWithHyparquet(coil?.file as string);
    expect(hy.meta['parx.coil_id']).toBe('4711');
    expect(hy.meta['parx.status']).toBe('recovered');
    // Both batches hold every sample up to the checkpoint (several writers commit together).
    expect(Number(checkpoint?.resume)).toBeGreaterThanOrEqual(acked);
    for (const f of recovered) {
      const values = new Set((await readWithHyparquet(f.file)).rows.map((r) => r.value as number));
      for (let v = 0; v <= acked; v++) if (!values.has(v)) throw new Error(`${f.id} lost ${v}`);
    }
    expect(recovered.find((f) => f.id === 'trigger-batch')?.coil).toBeNull();
  }, 60_000);
});
