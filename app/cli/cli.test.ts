import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../engine/engine';
import { serve, type RunningServer } from '../server/serve';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir, waitFor } from '../testing/helpers';
import { main } from './main';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('parx CLI', () => {
  let line: DemoLine | undefined;
  let engine: Engine | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await engine?.stop();
    await line?.stop();
    line = undefined;
    engine = undefined;
    server = undefined;
  });

  it('probe prints one JSON object per signal and exits non-zero when one cannot be read', async () => {
    line = await startDemoLine({ seed: 5 });
    const url = `modbus://127.0.0.1:${line.modbus.port}?unit=1`;
    const good = await capture(['probe', url, 'hr:0:uint16', 'hr:10:float32:abcd', 'co:0', '--json']);
    expect(good.code).toBe(0);
    const rows = good.out.trim().split('\n').map((l) => JSON.parse(l) as { signal: string; value: number; quality: string; ts: string });
    expect(rows.map((r) => r.signal)).toEqual(['hr:0:uint16', 'hr:10:float32:abcd', 'co:0']);
    expect(rows.every((r) => r.quality === 'good' && typeof r.value === 'number' && !Number.isNaN(Date.parse(r.ts)))).toBe(true);
    const bad = await capture(['probe', url, 'hr:0:uint16', 'hr:99999']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/hr:99999\t—\t\tbad\t.*beyond 65535/);
  });

  it('probe of a dead address says why and exits non-zero', async () => {
    const r = await capture(['probe', 'modbus://127.0.0.1:1?timeout=500', 'hr:0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ECONNREFUSED|no answer/);
  });

  it('plan reports requests, predicted cycle and verdict per group', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(demoConfig('127.0.0.1', 5020)));
    const r = await capture(['plan', dir, '--json']);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { timebaseMs: number; requests: number; verdict: string });
    expect(rows.map((x) => x.timebaseMs)).toEqual([20, 200]);
    expect(rows.every((x) => x.requests >= 1 && x.verdict === 'ok')).toBe(true);
    const invalid = await capture(['plan', path.join(dir, 'missing.json')]);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/cannot read/);
  });

  it('status reads health from a running engine, and refuses a wrong token', async () => {
    line = await startDemoLine({ seed: 5 });
    engine = await Engine.start({ workspace: await tempDir(), mode: 'browser' });
    const admin = engine.connect({ emit: () => undefined, busy: () => false });
    await admin.call('config.save', { config: demoConfig('127.0.0.1', line.modbus.port) });
    server = await serve(engine, { port: 0, rendererDir: await tempDir() });
    await waitFor(() => engine?.connectionStatuses()[0]?.state === 'connected', 'connected');
    await new Promise((r) => setTimeout(r, 1200));
    const r = await capture(['status', '--url', server.url, '--json']);
    expect(r.code).toBe(0);
    const health = JSON.parse(r.out) as { connections: { state: string; reads: number }[]; groups: { predictedCycleMs: number | null }[] };
    expect(health.connections[0]?.state).toBe('connected');
    expect(health.connections[0]?.reads).toBeGreaterThan(0);
    expect(health.groups.length).toBe(2);
    expect(health.groups.every((g) => typeof g.predictedCycleMs === 'number')).toBe(true);
    const wrong = await capture(['status', '--url', `http://127.0.0.1:${server.port}/?token=nope-nope-nope`]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/401/);
    admin.dispose();
  });

  it('is the package bin: `npx parx` runs it from the project root', async () => {
    const { execFile } = await import('node:child_process');
    const root = new URL('../../', import.meta.url).pathname;
    const out = await new Promise<string>((resolve, reject) =>
      execFile('npx', ['--no-install', 'parx', '--help'], { cwd: root, timeout: 60_000 }, (e, stdout) => (e ? reject(e) : resolve(stdout))),
    );
    expect(out).toMatch(/usage: parx <command>/);
    expect(out).toMatch(/probe/);
  });

  it('unknown commands and bad flags are usage errors (exit 2)', async () => {
    expect((await capture(['frobnicate'])).code).toBe(2);
    const r = await capture(['serve', '--port', 'abc']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--port must be a port number/);
  });
});
