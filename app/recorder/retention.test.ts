import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordingSchema } from '../shared/contract';
import { tempDir } from '../testing/helpers';
import { cleanup, expired, type RetentionEntry } from './retention';
import { batchFilesIn } from './catalog-db';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const entry = (id: string, line: string, ageDays: number, bytes = 1000): RetentionEntry => ({ file: `/r/${line}/${id}.parquet`, id, line, start: NOW - ageDays * DAY - 60_000, end: NOW - ageDays * DAY, bytes });

describe('retention rules', () => {
  it('by age, count and total size, each per line; a line can have its own limits', () => {
    const es = [entry('a1', 'A', 40), entry('a2', 'A', 20), entry('a3', 'A', 1), entry('b1', 'B', 3), entry('b2', 'B', 2), entry('b3', 'B', 1)];
    expect(expired(es, { maxAgeDays: 30, everyMinutes: 60 }, NOW).map((x) => [x.entry.id, x.reason])).toEqual([['a1', 'older than 30 days']]);
    expect(expired(es, { maxCount: 2, everyMinutes: 60 }, NOW).map((x) => x.entry.id)).toEqual(['a1', 'b1']);
    expect(expired(es, { maxTotalMB: 0.0015, everyMinutes: 60 }, NOW).map((x) => x.entry.id)).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(expired(es, { maxCount: 2, lines: { B: { maxCount: 1 } }, everyMinutes: 60 }, NOW).map((x) => x.entry.id)).toEqual(['a1', 'b1', 'b2']);
    expect(expired(es, { everyMinutes: 60 }, NOW)).toEqual([]);
  });

  it('property: per line exactly the newest maxCount survive', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ line: fc.constantFrom('A', 'B', 'C'), age: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 40 }), fc.integer({ min: 1, max: 10 }), (xs, max) => {
        const es = xs.map((x, i) => entry(`e${i}`, x.line, x.age + i / 1000));
        const gone = new Set(expired(es, { maxCount: max, everyMinutes: 60 }, NOW).map((x) => x.entry.id));
        for (const line of ['A', 'B', 'C']) {
          const kept = es.filter((e) => e.line === line).sort((a, b) => b.start - a.start);
          kept.forEach((e, i) => expect(gone.has(e.id)).toBe(i >= max));
        }
      }),
    );
  });

  it('are validated with field paths', () => {
    const r = RecordingSchema.safeParse({ retention: { maxAgeDays: -1, maxCount: 1.5, lines: { A: { maxTotalMB: 0 } }, everyMinutes: 0 } });
    expect(r.success).toBe(false);
    const paths = r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    expect(paths.sort()).toEqual(['retention.everyMinutes', 'retention.lines.A.maxTotalMB', 'retention.maxAgeDays', 'retention.maxCount']);
  });
});

async function folderWith(names: string[]): Promise<string> {
  const root = await tempDir('parx-ret-');
  for (const n of names) {
    await fs.mkdir(path.dirname(path.join(root, n)), { recursive: true });
    await fs.writeFile(path.join(root, n), `contents of ${n}`.repeat(50));
  }
  return root;
}

const OLD = ['line=A/date=2026-01-01/old1.parquet', 'line=A/date=2026-01-02/old2_coil-7.csv', 'line=A/date=2026-01-03/old3.duckdb'];
const OPEN = ['.staging/open1/batch.json', '.staging/open1/part-000001.parquet-part', 'line=A/date=2026-01-04/closing.parquet.tmp'];

describe('what counts as a batch file', () => {
  it('only files in the line=…/date=… layout, never a workspace kept inside the folder (its catalog.duckdb) or a hidden folder', async () => {
    const root = await folderWith([...OLD, ...OPEN, '.parx/catalog.duckdb', '.parx/recordings/line=A/date=2026-01-01/x.parquet', 'notes.csv', 'export/line-report.parquet']);
    expect((await batchFilesIn(root)).map((f) => path.relative(root, f).split(path.sep).join('/'))).toEqual([...OLD].sort());
  });
});

describe('cleanup', () => {
  it('archives (verified copy) before deleting, logs every step, and never touches staging or .tmp files', async () => {
    const root = await folderWith([...OLD, ...OPEN]);
    const archiveTo = path.join(root, '..', `${path.basename(root)}-archive`);
    const logFile = path.join(root, 'retention.log.jsonl');
    const logged: string[] = [];
    const rules = { maxAgeDays: 1, archiveTo, everyMinutes: 60 };
    const folder = path.join(root);
    // Dry run first: says what would go, changes nothing.
    const dry = await cleanup({ folder, rules, dryRun: true, logFile, log: (_l, m) => logged.push(m), now: Date.now() + 10 * DAY });
    expect(dry.actions.map((a) => [path.relative(root, a.file), a.done, a.reason]).sort()).toEqual(OLD.map((f) => [f, false, 'older than 1 days']));
    for (const f of [...OLD, ...OPEN]) await fs.access(path.join(root, f));
    await expect(fs.access(logFile)).rejects.toThrow();

    const run = await cleanup({ folder, rules, dryRun: false, logFile, log: (_l, m) => logged.push(m), now: Date.now() + 10 * DAY });
    expect(run.actions.every((a) => a.done)).toBe(true);
    for (const f of OLD) {
      await expect(fs.access(path.join(root, f))).rejects.toThrow();
      expect(await fs.readFile(path.join(archiveTo, f), 'utf8')).toBe(`contents of ${f}`.repeat(50));
    }
    for (const f of OPEN) await fs.access(path.join(root, f)); // the open batch and the file being written survive
    const lines = (await fs.readFile(logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; file: string });
    expect(lines.map((l) => [path.relative(root, l.file), l.action]).sort()).toEqual(OLD.flatMap((f) => [[f, 'archive'], [f, 'delete']]));
    // Archived before deleted, file by file.
    lines.forEach((l, i) => expect(l.action).toBe(i % 2 === 0 ? 'archive' : 'delete'));
    expect(logged.filter((m) => m.startsWith('retention: deleted'))).toHaveLength(3);
  });

  it('keeps the original when the archive copy is not identical', async () => {
    const root = await folderWith(OLD.slice(0, 1));
    const archiveTo = `${root}-archive`;
    const logFile = path.join(root, 'retention.log.jsonl');
    const corrupt = async (from: string, to: string) => {
      const b = await fs.readFile(from);
      b[10] = (b[10] ?? 0) ^ 0xff; // same size, one byte flipped: only the checksum notices
      await fs.writeFile(to, b);
    };
    const run = await cleanup({ folder: root, rules: { maxCount: 1, maxAgeDays: 1, archiveTo, everyMinutes: 60 }, dryRun: false, logFile, log: () => undefined, now: Date.now() + 10 * DAY, copy: corrupt });
    expect(run.actions).toMatchObject([{ done: false, error: 'archive copy differs from the original (SHA-256)' }]);
    await fs.access(path.join(root, OLD[0] as string));
    expect(await fs.readdir(path.join(archiveTo, 'line=A', 'date=2026-01-01'))).toEqual([]); // no copy, not even a .tmp
    expect((await fs.readFile(logFile, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['error']);
  });

  it('an open batch (by id) is never a candidate, even if a file of that name exists', async () => {
    const root = await folderWith(['line=A/date=2026-01-01/b1.parquet', 'line=A/date=2026-01-02/b2.parquet']);
    const run = await cleanup({ folder: root, rules: { maxAgeDays: 1, everyMinutes: 60 }, dryRun: false, logFile: path.join(root, 'log.jsonl'), log: () => undefined, now: Date.now() + 10 * DAY, protect: new Set(['b2']) });
    expect(run.actions.map((a) => a.id)).toEqual(['b1']);
    await fs.access(path.join(root, 'line=A/date=2026-01-02/b2.parquet'));
  });
});
