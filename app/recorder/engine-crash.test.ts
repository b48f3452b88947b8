/**
 * Nothing lost: `parx serve` recording the demo line is killed with SIGKILL. On restart the
 * open batch is closed as `recovered`, the pump resumes from the last durable point in the
 * journal, and every sample the journal holds is in exactly one Parquet file — none lost,
 * none twice.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { demoConfig } from '../sim/demo-config';
import { startDemoLine, type DemoLine } from '../sim/demo-line';
import { tempDir, waitFor } from '../testing/helpers';
import { parquetFiles, readWithHyparquet } from './testing/readers';
import { journalCoverage } from './testing/journal-coverage';

const BIN = fileURLToPath(new URL('../../bin/parx.mjs', import.meta.url));

describe('recording survives kill -9', () => {
  let line: DemoLine | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.stop();
    await line?.stop();
  });

  it('closes the interrupted batch as recovered and loses no journaled sample', async () => {
    line = await startDemoLine({ seed: 11 });
    const workspace = await tempDir('parx-crash-');
    const config = { ...demoConfig('127.0.0.1', line.modbus.port), recording: { enabled: true, line: 'L1', rule: { mode: 'continuous', rotateEveryMs: 3_600_000 }, compression: 'zstd' } };
    await fs.writeFile(path.join(workspace, 'config.json'), JSON.stringify(config));

    // The UI need not be built for this: serve a stand-in page.
    const ui = await tempDir('parx-ui-');
    await fs.writeFile(path.join(ui, 'index.html'), '<!doctype html><title>ParX</title>');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--workspace', workspace, '--renderer-dir', ui], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('ParX at ') || child.exitCode !== null, 'parx serve to start', 30_000);
    expect(child.exitCode, out).toBeNull();
    // Past one recorder checkpoint (every 5 s), so part of the batch is durable and part only journaled.
    await new Promise((r) => setTimeout(r, 7000));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    engine = await Engine.start({ workspace, mode: 'node' });
    await new Promise((r) => setTimeout(r, 2500));
    await engine.stop();
    engine = undefined;

    const files = await parquetFiles(path.join(workspace, 'recordings'));
    const read = await Promise.all(files.map((f) => readWithHyparquet(f)));
    const statuses = read.map((r) => r.meta['parx.status']).sort();
    expect(statuses).toEqual(['complete', 'recovered']);

    // Everything the journal holds from the first recorded sample on is in exactly one file.
    const c = await journalCoverage(workspace, read);
    expect(c.twice).toBe(0);
    expect(c.journaled).toBeGreaterThan(500);
    expect(c.missing).toBe(0);
  }, 90_000);
});
