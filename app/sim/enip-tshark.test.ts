/**
 * The independent check: Wireshark's own ENIP/CIP dissectors (Debian `tshark`) decode a
 * live capture of ParX's driver talking to the simulator on loopback — RegisterSession,
 * SendRRData, and Read Tag with the tag names — so neither side is merely agreeing with
 * itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../collector/probe';
import { tempDir, waitFor } from '../testing/helpers';
import { serveEnip, type EnipSimServer } from './enip-server';
import { freePort } from './modbus-server';
import { StripLine } from './line-model';

function requireTshark(): void {
  const v = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) throw new Error('tshark is not installed: install the Debian package `tshark` (apt-get install tshark) to run the EtherNet/IP capture check');
}

describe('EtherNet/IP on the wire, as tshark decodes it', () => {
  let capture: ChildProcess | undefined;
  let server: EnipSimServer | undefined;
  afterEach(async () => {
    if (capture && capture.exitCode === null) capture.kill('SIGKILL');
    await server?.close();
    capture = undefined;
    server = undefined;
  });

  it('shows RegisterSession, SendRRData and Read Tag services with the tag names', async () => {
    requireTshark();
    const port = await freePort();
    const file = path.join(await tempDir('parx-enip-pcap-'), 'enip.pcapng');
    let stderr = '';
    capture = spawn('tshark', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    capture.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(() => /Capturing on/.test(stderr) || capture?.exitCode !== null, 'tshark to start capturing');
    expect(capture.exitCode, `tshark could not capture on lo: ${stderr}`).toBeNull();
    // "Capturing on" comes a moment before the filter is live; the first packets must not slip by.
    await new Promise((res) => setTimeout(res, 1000));

    const line = new StripLine({ seed: 2 });
    line.step(Date.now());
    server = await serveEnip(() => line.step(Date.now()), { port });
    const r = await probe(`enip://127.0.0.1:${port}?slot=0`, ['RealTag', 'Program:Main.Count', 'Arr[2]']);
    expect(r.ok && r.value.every((v) => v.quality === 'good')).toBe(true);

    await new Promise((res) => setTimeout(res, 300));
    const exited = new Promise<void>((res) => capture?.once('exit', () => res()));
    capture.kill('SIGINT');
    await exited;
    expect(fs.existsSync(file)).toBe(true);

    const decoded = spawnSync('tshark', ['-r', file, '-d', `tcp.port==${port},enip`, '-T', 'fields', '-E', 'separator=|', '-e', 'enip.command', '-e', 'cip.sc', '-e', 'cip.symbol', '-e', 'cip.genstat'], { encoding: 'utf8' });
    expect(decoded.status, decoded.stderr).toBe(0);
    const rows = decoded.stdout
      .split('\n')
      .filter(Boolean)
      .map((row) => {
        const [command = '', services = '', symbols = '', statuses = ''] = row.split('|');
        return { command, services: services.split(','), symbols: symbols.split(','), statuses: statuses.split(',') };
      });
    expect(rows.filter((r) => r.command === '0x0065')).toHaveLength(2); // RegisterSession request and reply
    expect(rows.some((r) => r.command === '0x0066')).toBe(true); // UnRegisterSession on close
    // SendRRData → Unconnected Send (0x52) → Multiple Service Packet (0x0a) → Read Tag (0x4c) with the symbolic path.
    const read = rows.find((r) => r.command === '0x006f' && r.services.join() === '0x52,0x0a,0x4c,0x4c,0x4c');
    expect(read?.symbols).toEqual(['RealTag', 'Program:Main', 'Count', 'Arr']);
    const reply = rows.find((r) => r.command === '0x006f' && r.services.join() === '0x0a,0x4c,0x4c,0x4c');
    expect(reply?.statuses).toEqual(['0x00', '0x00', '0x00', '0x00']);
    const verbose = spawnSync('tshark', ['-r', file, '-d', `tcp.port==${port},enip`, '-V'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    expect(verbose).toContain('Command: Register Session (0x0065)');
    expect(verbose).toContain('Command: Send RR Data (0x006f)');
    expect(verbose).toContain('Service: Unconnected Send (0x52)');
    expect(verbose).toContain('Service: Multiple Service Packet (0x0a)');
    // Wireshark 4.0's generic CIP dissector has no name for Rockwell's Read Tag (0x4C) but decodes its code and path.
    expect(verbose).toMatch(/Service Packet #1: 'RealTag' - Service \(0x4c\)/);
    expect(verbose).toContain('ANSI Symbol: Program:Main');
    expect(verbose).toContain('Path Segment: 0x28 (8-Bit Member Segment)');
    expect(verbose).not.toMatch(/Malformed Packet/);
  }, 30_000);
});
