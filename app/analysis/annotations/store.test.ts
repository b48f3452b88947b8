import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/helpers';
import { AnnotationStore } from './store';

describe('AnnotationStore', () => {
  it('adds, lists by overlap, updates and removes; survives a new store on the same workspace', async () => {
    const ws = await tempDir();
    const s = new AnnotationStore(ws);
    const a = await s.add({ source: 'recordings', batchId: 'b1', axis: 'time', from: 1000, to: 2000, text: 'weld', author: 'Anna' });
    await s.add({ source: path.join(ws, 'recordings/'), batchId: null, axis: 'time', from: 5000, to: 6000, text: 'strip break' });
    await s.add({ source: 'other', batchId: null, axis: 'length', from: 10, to: 20, text: 'edge crack' });
    expect(a).toMatchObject({ source: path.join(ws, 'recordings'), author: 'Anna', axis: 'time' });
    const again = new AnnotationStore(ws);
    expect((await again.list('recordings')).map((x) => x.text)).toEqual(['weld', 'strip break']);
    expect((await again.list(path.join(ws, 'recordings'), 1500, 4000)).map((x) => x.text)).toEqual(['weld']);
    expect((await again.list('other', 0, 1)).map((x) => x.text)).toEqual(['edge crack']);
    expect(await again.update(a.id, { text: 'weld seam' })).toMatchObject({ text: 'weld seam', from: 1000 });
    await expect(again.update(a.id, { from: 3000 })).rejects.toThrow(/from/);
    expect(await again.remove(a.id)).toBe(true);
    expect(await again.remove(a.id)).toBe(false);
    expect((await s.list('recordings')).map((x) => x.text)).toEqual(['strip break']);
  });

  it('concurrent adds all land; a broken file is reported and left untouched', async () => {
    const ws = await tempDir();
    const s = new AnnotationStore(ws);
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.add({ source: 'r', batchId: null, axis: 'time', from: i, to: i, text: `n${i}` })));
    expect(await s.list('r')).toHaveLength(20);
    await fs.writeFile(s.file, '{ broken');
    await expect(s.add({ source: 'r', batchId: null, axis: 'time', from: 0, to: 0, text: 'x' })).rejects.toThrow(/not valid JSON.*left as it is/);
    expect(await fs.readFile(s.file, 'utf8')).toBe('{ broken');
  });
});
