/**
 * A real InfluxDB for tests: Debian's `influxdb` (1.x) on 127.0.0.1 with free ports and its
 * data in a temp folder. `stop()` kills it as a crashed server would go; `restart()` brings it
 * back on the same ports with the same data. A missing influxd fails loudly — a test that
 * skipped itself would hide that the output was never exercised against a server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../sim/modbus-server';
import { tempDir } from './helpers';

export interface Influxd {
  readonly url: string;
  /** Runs InfluxQL (GET for SELECT/SHOW, POST otherwise) and returns the first statement's series. */
  query(q: string, db?: string): Promise<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[]>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

function findInfluxd(): string {
  const found = [process.env.INFLUXD ?? '', '/usr/bin/influxd', '/usr/local/bin/influxd'].find((p) => p !== '' && fs.existsSync(p));
  if (!found) throw new Error('influxd is not installed: the InfluxDB output tests need a real server — install the Debian package "influxdb" or set INFLUXD=/path/to/influxd');
  return found;
}

export async function startInfluxd(): Promise<Influxd> {
  const binary = findInfluxd();
  const dir = await tempDir('parx-influxd-');
  const [http, rpc] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'influxdb.conf');
  fs.writeFileSync(
    conf,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpc}"`,
      '[meta]',
      `  dir = "${path.join(dir, 'meta')}"`,
      '[data]',
      `  dir = "${path.join(dir, 'data')}"`,
      `  wal-dir = "${path.join(dir, 'wal')}"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${http}"`,
      '  log-enabled = false',
      '[logging]',
      '  level = "error"',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${http}`;
  let child: ChildProcess | undefined;
  let stderr = '';
  const launch = async (): Promise<void> => {
    child = spawn(binary, ['-config', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const proc = child;
    const until = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`influxd exited with ${proc.exitCode}: ${stderr}`);
      if (await fetch(`${url}/ping`).then((r) => r.status === 204, () => false)) return;
      if (Date.now() > until) throw new Error(`influxd did not answer /ping within 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await launch();
  const query: Influxd['query'] = async (q, db) => {
    const params = new URLSearchParams({ q, epoch: 'u' });
    if (db) params.set('db', db);
    const read = /^\s*(select|show)/i.test(q);
    const res = await fetch(`${url}/query?${params}`, { method: read ? 'GET' : 'POST' });
    const body = (await res.json()) as { results?: { series?: unknown[]; error?: string }[]; error?: string };
    const first = body.results?.[0];
    if (body.error || first?.error) throw new Error(`influxd: ${body.error ?? first?.error} (${q})`);
    return (first?.series ?? []) as Awaited<ReturnType<Influxd['query']>>;
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  };
  return { url, query, stop, restart: launch };
}
