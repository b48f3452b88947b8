/**
 * Disk full under the recordings, on a real small filesystem (a tmpfs mounted here; needs
 * root, as CI runs): recording stops cleanly with an alarm, the files already written stay
 * valid, the disk buffer holds the samples meanwhile (its backlog shown), and when space
 * returns recording resumes by itself — every journaled sample from the first recorded one on
 * is in exactly one file, the interrupted batch closed as `recovered`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir } from '../testing/helpers';
import { releaseSmallDisk, smallDisk } from '../testing/small-disk';
import { parquetFiles, readWithHyparquet } from './testing/readers';
import { journalCoverage } from './testing/journal-coverage';

type Status = { ok: true; value: { alarm: { message: string } | null; backlogBytes: number; files: number; errors: number } };

const disk = await smallDisk(4 * 1024 * 1024);
if (disk.reason) console.warn(disk.reason);

describe.skipIf(!disk.dir)('recording on a full disk (a real 4 MB filesystem)', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
    if (disk.dir) releaseSmallDisk(disk.dir);
  });

  it('stops with an alarm, keeps what was written valid, holds the samples in the disk buffer, and resumes by itself when space returns', async () => {
    const dest = disk.dir!;
    const workspace = await tempDir('parx-disk-full-');
    line = await startDemoLine({ seed: 11 });
    engine = await Engine.start({ workspace, mode: 'node' });
    const logs: string[] = [];
    engine.on('log', (l) => logs.push(`${l.level}: ${l.message}`));
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    const status = async () => ((await session.call('recording.status', {})) as Status).value;
    // Leave ~48 kB: a few one-second batches fit, then the disk is full.
    const { bavail, bsize } = await fs.statfs(dest);
    await fs.writeFile(path.join(dest, 'filler'), Buffer.alloc(bavail * bsize - 48 * 1024));
    const recording = { enabled: true, line: 'L1', rule: { mode: 'continuous', rotateEveryMs: 1000 }, destination: dest };
    expect((await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording } })).ok).toBe(true);

    let s: Status['value'] | undefined;
    for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      s = await status();
      if (s.alarm) break;
    }
    expect(s?.alarm?.message).toMatch(/Recording stopped: the disk under .* is full \(.*(No space left on device|ENOSPC).*\)\. The disk buffer keeps the samples; recording resumes by itself when space returns\./);
    const before = (await parquetFiles(dest)).filter((f) => !f.endsWith('.tmp'));
    expect(before.length).toBeGreaterThan(0);
    for (const f of before) expect((await readWithHyparquet(f)).meta['parx.status']).toBe('complete');
    // While stopped: no error flood, and the backlog grows in the disk buffer.
    const backlog = s!.backlogBytes;
    await new Promise((r) => setTimeout(r, 2500));
    const later = await status();
    expect(later.alarm).not.toBeNull();
    expect(later.backlogBytes).toBeGreaterThan(backlog);
    expect(logs.filter((l) => l.startsWith('error')).length).toBeLessThanOrEqual(3);
    const health = (await session.call('health.get', {})) as { ok: true; value: { recorder: { backlogBytes: number; alarm: string | null } | null } };
    expect(health.value.recorder?.alarm).toMatch(/disk under .* is full/);

    // Space returns: recording resumes by itself.
    await fs.rm(path.join(dest, 'filler'));
    for (const until = Date.now() + 30_000; Date.now() < until && (await status()).alarm; ) await new Promise((r) => setTimeout(r, 200));
    expect((await status()).alarm).toBeNull();
    expect(logs.join('\n')).toMatch(/recording resumed after \d+ s with a full disk/);
    const filesAtResume = (await status()).files;
    for (const until = Date.now() + 20_000; Date.now() < until && (await status()).files < filesAtResume + 2; ) await new Promise((r) => setTimeout(r, 200));
    await engine.stop();
    engine = undefined;

    const files = await parquetFiles(dest);
    const read = await Promise.all(files.map((f) => readWithHyparquet(f)));
    expect(read.map((r) => r.meta['parx.status'])).toContain('recovered');
    // Every journaled sample between the first and the last recorded one is in exactly one file.
    const c = await journalCoverage(workspace, read, true);
    expect(c.twice).toBe(0);
    expect(c.journaled).toBeGreaterThan(1000);
    expect(c.missing).toBe(0);
  }, 120_000);
});
