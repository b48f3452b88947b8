/**
 * The workspace disk full under the disk buffer (a real 8 MB tmpfs mounted here; needs root,
 * skips elsewhere saying why): recording says samples are being lost, once, Health counts
 * them, and both clear when space returns; recording goes on throughout.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir } from '../testing/helpers';
import { releaseSmallDisk, smallDisk } from '../testing/small-disk';

const disk = await smallDisk(8 * 1024 * 1024);
if (disk.reason) console.warn(disk.reason);

type Status = { ok: true; value: { alarm: { message: string; kind: string } | null; files: number } };
type Health = { ok: true; value: { buffer: { failing: { message: string } | null; lostSamples: number } | null } };

describe.skipIf(!disk.dir)('the disk buffer on a full workspace disk (a real 8 MB filesystem)', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    if (disk.dir) releaseSmallDisk(disk.dir);
  });

  it('alarms that samples are being lost, counts them in Health, and clears by itself when space returns', async () => {
    const workspace = path.join(disk.dir!, 'workspace');
    const dest = await tempDir('parx-buffer-full-rec-');
    line = await startDemoLine({ seed: 12 });
    engine = await Engine.start({ workspace, mode: 'node' });
    const logs: string[] = [];
    engine.on('log', (l) => logs.push(`${l.level}: ${l.message}`));
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    const status = async () => ((await session.call('recording.status', {})) as Status).value;
    const health = async () => ((await session.call('health.get', {})) as Health).value;
    const recording = { enabled: true, line: 'L1', rule: { mode: 'continuous', rotateEveryMs: 1000 }, destination: dest };
    expect((await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording } })).ok).toBe(true);
    const { bavail, bsize } = await fs.statfs(disk.dir!);
    await fs.writeFile(path.join(disk.dir!, 'filler'), Buffer.alloc(bavail * bsize - 64 * 1024));

    let s: Status['value'] | undefined;
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      s = await status();
      if (s.alarm) break;
    }
    expect(s?.alarm?.kind).toBe('losing');
    expect(s?.alarm?.message).toMatch(/^Samples are being lost: the disk buffer under .* cannot write \(.*(ENOSPC|no space|and no more).*\)\. Recording goes on with what arrives once it can\.$/i);
    await new Promise((r) => setTimeout(r, 1500));
    const h = await health();
    expect(h.buffer?.failing?.message).toMatch(/ENOSPC|no space|and no more/i);
    expect(h.buffer?.lostSamples).toBeGreaterThan(0);
    // Said once, not every 250 ms.
    expect(logs.filter((l) => l.includes('samples are lost until it can write again'))).toHaveLength(1);

    await fs.rm(path.join(disk.dir!, 'filler'));
    for (const until = Date.now() + 20_000; Date.now() < until && (await status()).alarm; ) await new Promise((r) => setTimeout(r, 200));
    expect((await status()).alarm).toBeNull();
    expect((await health()).buffer?.failing).toBeNull();
    expect(logs.join('\n')).toMatch(/writes again after \d+ failed flush(es)? since .*: \d+ samples were lost/);
    // Recording went on: batches keep closing.
    const files = (await status()).files;
    for (const until = Date.now() + 15_000; Date.now() < until && (await status()).files < files + 2; ) await new Promise((r) => setTimeout(r, 200));
    expect((await status()).files).toBeGreaterThanOrEqual(files + 2);
  }, 90_000);
});
