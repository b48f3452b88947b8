import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir } from '../testing/helpers';
import type { CatalogBatchInfo } from '../shared/contract/catalog';

type Ok<T> = { ok: true; value: T };

async function until<T>(probe: () => Promise<T | false>, what: string, ms = 10_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = await probe();
    if (v !== false) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('catalog and retention in the engine', () => {
  let engine: Engine | undefined;
  let line: DemoLine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
  });

  it('indexes each batch as it closes; cleanup archives and deletes the oldest, never the open batch; the catalog follows; a restart reconciles', async () => {
    const workspace = await tempDir('parx-storage-');
    const archive = path.join(workspace, 'share');
    line = await startDemoLine({ seed: 5 });
    engine = await Engine.start({ workspace, mode: 'node' });
    const session = engine.connect({ emit: () => undefined, busy: () => false });
    const recording = { enabled: true, line: 'Galv 3', rule: { mode: 'manual' }, compression: 'zstd', format: 'csv', retention: { maxCount: 1, archiveTo: archive } };
    expect((await session.call('config.save', { config: { ...demoConfig('127.0.0.1', line.modbus.port), recording } })).ok).toBe(true);
    const list = async () => ((await session.call('catalog.batches', {})) as Ok<{ total: number; batches: CatalogBatchInfo[] }>).value;
    for (const reason of ['first', 'second']) {
      await session.call('recording.command', { action: 'start', reason });
      await new Promise((r) => setTimeout(r, 500));
      await session.call('recording.command', { action: 'stop', reason });
    }
    const two = await until(async () => {
      const l = await list();
      return l.total === 2 && l;
    }, 'two batches in the catalog');
    const [newer, older] = two.batches;
    expect(older?.format).toBe('csv');
    expect(path.extname(older?.file ?? '')).toBe('.csv');
    const detail = (await session.call('catalog.batch', { id: older?.id ?? '' })) as Ok<{ signals: { signal: string; count: number }[] }>;
    expect(detail.value.signals.find((s) => s.signal === 'Line Speed')?.count).toBeGreaterThan(5);

    // A batch is open while the cleanup runs.
    await session.call('recording.command', { action: 'start', reason: 'third' });
    await new Promise((r) => setTimeout(r, 400));
    const open = ((await session.call('recording.status', {})) as Ok<{ open: { id: string } | null }>).value.open;
    expect(open).not.toBeNull();

    const dry = (await session.call('catalog.cleanup', { dryRun: true })) as Ok<{ actions: { file: string; done: boolean }[] }>;
    expect(dry.value.actions).toEqual([expect.objectContaining({ file: older?.file, done: false })]);
    await fs.access(older?.file ?? '');
    const run = (await session.call('catalog.cleanup', { dryRun: false })) as Ok<{ actions: { file: string; done: boolean; archivedTo: string }[] }>;
    expect(run.value.actions).toEqual([expect.objectContaining({ file: older?.file, done: true })]);
    await expect(fs.access(older?.file ?? '')).rejects.toThrow();
    expect(await fs.readFile(run.value.actions[0]?.archivedTo ?? '', 'utf8')).toMatch(/^ts,Line Speed \[m\/min\]/);
    expect((await list()).batches.map((b) => b.id)).toEqual([newer?.id]);
    // The open batch kept recording: its staging is intact and it closes into a file.
    expect(((await session.call('recording.status', {})) as Ok<{ open: { id: string } | null }>).value.open?.id).toBe(open?.id);
    await fs.access(path.join(workspace, 'recordings', '.staging'));
    await session.call('recording.command', { action: 'stop', reason: 'third' });
    await until(async () => (await list()).total === 2 || false, 'the third batch indexed');
    const log = (await fs.readFile(path.join(workspace, 'retention.log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(log.map((l) => l.action)).toEqual(['archive', 'delete']);

    // Restart: a file removed behind the engine's back leaves the catalog; the catalog file persists.
    await engine.stop();
    await fs.rm(newer?.file ?? '');
    engine = await Engine.start({ workspace, mode: 'node' });
    const s2 = engine.connect({ emit: () => undefined, busy: () => false });
    const after = ((await s2.call('catalog.batches', {})) as Ok<{ total: number; batches: CatalogBatchInfo[] }>).value;
    expect(after.total).toBe(1);
    expect(after.batches[0]?.openedBy).toMatch(/third/);
  }, 120_000);
});
