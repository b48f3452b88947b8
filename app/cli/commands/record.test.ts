/** The field form of `parx record` against the demo line's real Modbus server, read back by hyparquet. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoLine, type DemoLine } from '../../sim/demo-line';
import { tempDir } from '../../testing/helpers';
import { parquetFiles, readWithHyparquet } from '../../recorder/testing/readers';
import { CliError } from '../cli-error';
import { runRecord } from './record';

describe('parx record URL SIGNAL… --out DIR', () => {
  let line: DemoLine | undefined;
  afterEach(async () => {
    await line?.stop();
    line = undefined;
  });

  it('records the addresses for --duration seconds into DIR, one signal per address', async () => {
    line = await startDemoLine({ seed: 3 });
    const out = await tempDir('parx-record-quick-');
    const url = `modbus://127.0.0.1:${line.modbus.port}?unit=1`;
    expect(await runRecord([url, 'hr:0:uint16', 'hr:2:uint16', '--out', out, '--duration', '2', '--timebase', '50'])).toBe(0);
    const files = (await parquetFiles(out)).filter((f) => !f.includes(`${path.sep}.parx${path.sep}`));
    expect(files).toHaveLength(1);
    const { rows, meta } = await readWithHyparquet(files[0] as string);
    const signals = new Set(rows.map((r) => r.signal));
    expect([...signals].sort()).toEqual(['hr:0:uint16', 'hr:2:uint16']);
    // 2 s at 50 ms: about 40 samples per signal (the connection takes a moment).
    expect(rows.filter((r) => r.signal === 'hr:0:uint16').length).toBeGreaterThan(15);
    expect(meta['parx.line']).toBe('Field');
  }, 60_000);

  it('as a process: exits by itself after --duration (the analysis worker started for the pyramid build at close does not hold it)', async () => {
    line = await startDemoLine({ seed: 4 });
    const out = await tempDir('parx-record-quick-');
    const { execFile } = await import('node:child_process');
    const bin = path.resolve(import.meta.dirname, '../../../bin/parx.mjs');
    const started = Date.now();
    // The analysis worker started for the pyramid once kept this process alive for ever.
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, [bin, 'record', `modbus://127.0.0.1:${line!.modbus.port}?unit=1`, 'hr:0:uint16', '--out', out, '--duration', '1'], { timeout: 45_000 });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(45_000);
    const files = (await parquetFiles(out)).filter((f) => !f.includes(`${path.sep}.parx${path.sep}`));
    expect(files).toHaveLength(1);
  }, 60_000);

  it('says what is wrong with a bad address, an unknown --batch-by or a missing --out', async () => {
    const out = await tempDir('parx-record-quick-');
    await expect(runRecord(['modbus://127.0.0.1:1', 'hr:x', '--out', out])).rejects.toThrow(/signal "hr:x"/);
    await expect(runRecord(['modbus://127.0.0.1:1', 'hr:0', '--out', out, '--batch-by', 'hr:9'])).rejects.toThrow(/--batch-by "hr:9" must be one of/);
    await expect(runRecord(['modbus://127.0.0.1:1', 'hr:0'])).rejects.toThrow(CliError);
    await expect(runRecord(['gopher://x', 'hr:0', '--out', out])).rejects.toThrow(/no driver/);
  });
});
