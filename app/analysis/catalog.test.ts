import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDB } from '../../native/duckdb';
import { tempDir } from '../testing/helpers';
import { Catalog, findBatchFiles } from './catalog';
import { writeCoils, writeTruncated } from './testing/coils';

describe('catalog', () => {
  it('reads each file once, and again only when its mtime or size changed', async () => {
    const dir = await tempDir('parx-catalog-');
    const files = await writeCoils(dir, { coils: 2, samples: 200 });
    await fs.mkdir(path.join(dir, '.staging', 'open'), { recursive: true });
    await fs.writeFile(path.join(dir, '.staging', 'open', 'part-000001.parquet'), 'not a batch');
    const db = await openDuckDB();
    try {
      const catalog = new Catalog(db.connection);
      const found = await findBatchFiles(dir);
      expect(found.sort()).toEqual([...files].sort());
      const first = await catalog.scan(dir, found);
      expect(first.every((s) => s.ok)).toBe(true);
      // Cut one file after it was listed: the next scan sees the new size and says what is wrong.
      await writeTruncated(files[1]!, files[1]!);
      const second = await catalog.scan(dir, found);
      expect(second.filter((s) => s.ok)).toHaveLength(1);
      const bad = second.find((s) => !s.ok);
      expect(bad && !bad.ok ? bad.message : '').toMatch(/truncated or corrupt/);
    } finally {
      db.close();
    }
  });
});
