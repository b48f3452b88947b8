/**
 * A full disk as the operator sees it: the status bar turns into an alarm while recording is
 * stopped (with the backlog the disk buffer holds), Health says why, and both clear by
 * themselves when space returns. Needs root to mount a small tmpfs (as CI runs).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoConfig } from '../app/sim/demo-config';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
let mounted: string | undefined;
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  if (mounted) execFileSync('umount', ['-l', mounted]);
  mounted = undefined;
});

async function smallDisk(): Promise<string | null> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parx-e2e-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch {
    return null;
  }
}

test('the status bar alarms while the disk is full and clears when space returns', async ({ page }) => {
  const dest = await smallDisk();
  test.skip(!dest, 'cannot mount a tmpfs here: the disk-full journey needs root');
  mounted = dest!;
  const { bavail, bsize } = await fs.statfs(mounted);
  await fs.writeFile(path.join(mounted, 'filler'), Buffer.alloc(bavail * bsize - 48 * 1024));
  const plcPort = await freePort();
  const sim = startParx(['sim', '--modbus', String(plcPort)]);
  running.push(sim);
  await sim.waitFor(/Modbus TCP at 127\.0\.0\.1:\d+/);
  const workspace = await tempWorkspace({ ...demoConfig('127.0.0.1', plcPort), recording: { enabled: true, line: 'L1', rule: { mode: 'continuous', rotateEveryMs: 1000 }, destination: mounted } });
  const server = startParx(['serve', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);

  await page.goto(url as string);
  const rec = page.getByTestId('recording');
  await expect(rec).toHaveAttribute('data-state', 'alarm', { timeout: 30_000 });
  await expect(rec).toContainText(/RECORDING STOPPED — disk full · [\d.]+ (B|kB|MB) waiting in the disk buffer · resumes when space returns/);
  await page.locator('.dv-tab').getByText('Health', { exact: true }).click();
  await expect(page.getByTestId('health-recorder')).toContainText(/Recorder backlog: [\d.]+ (B|kB|MB) .* Recording stopped: the disk under .* is full/);
  await page.screenshot({ path: path.join(SCREENS, 'disk-full-alarm.png') });

  await fs.rm(path.join(mounted, 'filler'));
  await expect(rec).toHaveAttribute('data-state', 'recording', { timeout: 30_000 });
  await expect(page.getByTestId('health-recorder')).not.toContainText('Recording stopped');
  await page.screenshot({ path: path.join(SCREENS, 'disk-full-resumed.png') });
});

test('a full workspace disk: the status bar says samples are being lost, Health counts them, both clear when space returns', async ({ page }) => {
  const disk = await smallDisk();
  test.skip(!disk, 'cannot mount a tmpfs here: the disk-full journey needs root');
  mounted = disk!;
  // The workspace (and so the disk buffer) on the small disk; the recordings elsewhere.
  const workspace = path.join(mounted, 'workspace');
  await fs.mkdir(workspace);
  const dest = await tempWorkspace();
  const plcPort = await freePort();
  const sim = startParx(['sim', '--modbus', String(plcPort)]);
  running.push(sim);
  await sim.waitFor(/Modbus TCP at 127\.0\.0\.1:\d+/);
  await fs.writeFile(path.join(workspace, 'config.json'), JSON.stringify({ ...demoConfig('127.0.0.1', plcPort), recording: { enabled: true, line: 'L1', rule: { mode: 'continuous', rotateEveryMs: 1000 }, destination: dest } }));
  const server = startParx(['serve', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);
  const rec = page.getByTestId('recording');
  await expect(rec).toHaveAttribute('data-state', 'recording', { timeout: 30_000 });

  const { bavail, bsize } = await fs.statfs(mounted);
  await fs.writeFile(path.join(mounted, 'filler'), Buffer.alloc(bavail * bsize - 32 * 1024));
  await expect(rec).toHaveAttribute('data-state', 'alarm', { timeout: 30_000 });
  await expect(rec).toContainText('SAMPLES LOST — the disk buffer cannot write (workspace disk full?) · recording goes on when it can');
  await page.locator('.dv-tab').getByText('Health', { exact: true }).click();
  await expect(page.getByTestId('health-buffer-failing')).toContainText(/The disk buffer cannot write since .* \(.*\): new samples are lost until it can\. \d+ samples lost to failed writes since start\./, { timeout: 10_000 });
  await page.screenshot({ path: path.join(SCREENS, 'buffer-full-alarm.png') });

  await fs.rm(path.join(mounted, 'filler'));
  await expect(rec).toHaveAttribute('data-state', 'recording', { timeout: 30_000 });
  await expect(page.getByTestId('health-buffer-failing')).toContainText(/^\d+ samples lost to failed writes since start\.$/, { timeout: 10_000 });
  await page.screenshot({ path: path.join(SCREENS, 'buffer-full-cleared.png') });
});
