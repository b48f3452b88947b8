import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main';
import { tempDir } from '../testing/helpers';

describe('parx cleanup', () => {
  it('--dry-run lists, a real run archives then deletes; without rules it says what to set', async () => {
    const workspace = await tempDir('parx-cleanup-cli-');
    const dir = path.join(workspace, 'recordings', 'line=A', 'date=2026-01-01');
    await fs.mkdir(dir, { recursive: true });
    for (const n of ['a.parquet', 'b.csv', 'c.csv']) await fs.writeFile(path.join(dir, n), n);
    const past = new Date(Date.now() - 3 * 86_400_000);
    await fs.utimes(path.join(dir, 'a.parquet'), past, past);
    expect(await main(['cleanup', '--workspace', workspace])).toBe(1); // no config, no rules
    await fs.writeFile(path.join(workspace, 'config.json'), JSON.stringify({ version: 1, recording: { retention: { maxAgeDays: 1, archiveTo: 'archive' } } }));
    // CSV files that are not ParX's are unreadable for the catalog, but retention still sees them.
    expect(await main(['cleanup', '--workspace', workspace, '--dry-run'])).toBe(0);
    await fs.access(path.join(dir, 'a.parquet'));
    expect(await main(['cleanup', '--workspace', workspace])).toBe(0);
    await expect(fs.access(path.join(dir, 'a.parquet'))).rejects.toThrow();
    expect(await fs.readFile(path.join(workspace, 'archive', 'line=A', 'date=2026-01-01', 'a.parquet'), 'utf8')).toBe('a.parquet');
    expect((await fs.readdir(dir)).sort()).toEqual(['b.csv', 'c.csv']);
  }, 60_000);
});
