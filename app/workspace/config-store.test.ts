import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoConfig } from '../sim/demo-config';
import { tempDir } from '../testing/helpers';
import { ConfigStore, validateConfig } from './config-store';

const good = () => demoConfig('127.0.0.1', 5020);

function problemsOf(input: unknown) {
  const v = validateConfig(input);
  return v.ok ? [] : v.problems;
}

describe('configuration validation names the field', () => {
  it('accepts the demo configuration', () => {
    expect(problemsOf(good())).toEqual([]);
  });

  it('unknown protocol', () => {
    const c = good() as unknown as { connections: Record<string, unknown>[] };
    c.connections[0] = { ...c.connections[0], protocol: 'profibus' };
    expect(problemsOf(c)).toContainEqual({ path: 'connections[0].protocol', message: expect.stringMatching(/unknown protocol "profibus".*modbus/) });
  });

  it('port out of range', () => {
    const c = good();
    (c.connections[0] as { port: number }).port = 70000;
    expect(problemsOf(c)).toContainEqual({ path: 'connections[0].port', message: 'must be between 1 and 65535' });
  });

  it('register address beyond 65535', () => {
    const c = good();
    (c.signals[2] as { address: string }).address = 'hr:65536:uint16';
    const p = problemsOf(c);
    expect(p).toHaveLength(1);
    expect(p[0]?.path).toBe('signals[2].address');
    expect(p[0]?.message).toMatch(/65536.*65535/);
  });

  it('a 32-bit value whose second register would be past 65535', () => {
    const c = good();
    (c.signals[0] as { address: string }).address = 'hr:65535:float32';
    expect(problemsOf(c)[0]?.path).toBe('signals[0].address');
  });

  it('duplicate signal name, and a signal on a connection that does not exist', () => {
    const c = good();
    (c.signals[1] as { name: string }).name = c.signals[0]?.name ?? '';
    (c.signals[3] as { connection: string }).connection = 'Nowhere';
    const p = problemsOf(c);
    expect(p).toContainEqual({ path: 'signals[1].name', message: 'duplicate signal name "Line Speed"' });
    expect(p).toContainEqual({ path: 'signals[3].connection', message: 'no connection named "Nowhere"' });
  });

  it('wrong version and unknown keys', () => {
    expect(problemsOf({ ...good(), version: 9 })[0]).toMatchObject({ path: 'version', message: expect.stringMatching(/must be 1/) });
    expect(problemsOf({ ...good(), extra: true })[0]?.message).toMatch(/extra/);
  });
});

describe('ConfigStore on disk', () => {
  it('saves atomically with history, and loads what it saved', async () => {
    const dir = await tempDir();
    const store = new ConfigStore(dir);
    expect((await store.load()).config.signals).toEqual([]);
    const saved = await store.save(good());
    expect(saved.ok).toBe(true);
    const loaded = await store.load();
    expect(loaded.problem).toBeNull();
    expect(loaded.config).toEqual(good());
    expect(await store.historyEntries()).toHaveLength(1);
  });

  it('refuses to save an invalid configuration and writes nothing', async () => {
    const dir = await tempDir();
    const store = new ConfigStore(dir);
    await store.save(good());
    const before = await fs.readFile(store.file, 'utf8');
    const bad = good();
    (bad.connections[0] as { port: number }).port = 0;
    const r = await store.save(bad);
    expect(r).toMatchObject({ ok: false, problems: [{ path: 'connections[0].port' }] });
    expect(await fs.readFile(store.file, 'utf8')).toBe(before);
    expect(await store.historyEntries()).toHaveLength(1);
  });

  it('a corrupt file: clear error naming the file, runs on the last good version, overwrites nothing', async () => {
    const dir = await tempDir();
    const store = new ConfigStore(dir);
    await store.save(good());
    await fs.writeFile(store.file, '{ "version": 1, "connections": [ ');
    const loaded = await store.load();
    expect(loaded.problem?.message).toContain(path.join(dir, 'config.json'));
    expect(loaded.problem?.message).toMatch(/not valid JSON/);
    expect(loaded.config).toEqual(good());
    expect(await fs.readFile(store.file, 'utf8')).toBe('{ "version": 1, "connections": [ ');
  });

  it('a valid JSON file with a bad field: the problem names the field', async () => {
    const dir = await tempDir();
    const store = new ConfigStore(dir);
    await store.save(good());
    const bad = good();
    (bad.signals[0] as { address: string }).address = 'xx:1';
    await fs.writeFile(store.file, JSON.stringify(bad));
    const loaded = await store.load();
    expect(loaded.problem?.problems[0]?.path).toBe('signals[0].address');
    expect(loaded.config).toEqual(good());
  });
});
