/**
 * The first real journey: a register on the simulated PLC → Modbus TCP → collector worker →
 * live bus → WebSocket → a pixel on the trend. Then the PLC dies and comes back.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { demoConfig } from '../app/sim/demo-config';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function trendState(page: Page): Promise<{ points: number; newest: number; gaps: number }> {
  const el = page.getByTestId('trend');
  return {
    points: Number((await el.getAttribute('data-points')) ?? 0),
    newest: Number((await el.getAttribute('data-newest')) ?? 0),
    gaps: Number((await el.getAttribute('data-gaps')) ?? 0),
  };
}

async function startLine(port: number): Promise<ParxProcess> {
  const sim = startParx(['sim', '--modbus', String(port)]);
  running.push(sim);
  await sim.waitFor(/Modbus TCP at 127\.0\.0\.1:\d+/);
  return sim;
}

test('the live trend receives new points from the simulated line over Modbus TCP', async ({ page }) => {
  const plcPort = await freePort();
  await startLine(plcPort);
  const workspace = await tempWorkspace(demoConfig('127.0.0.1', plcPort));
  const server = startParx(['serve', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);

  await page.goto(url as string);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect.poll(async () => (await trendState(page)).points, { timeout: 15_000 }).toBeGreaterThan(20);
  const before = await trendState(page);
  await expect.poll(async () => (await trendState(page)).newest, { timeout: 10_000 }).toBeGreaterThan(before.newest);
  const after = await trendState(page);
  expect(after.points).toBeGreaterThan(before.points);

  const speed = page.locator('[data-testid=signal-row][data-signal="Line Speed"] .value');
  await expect(speed).not.toHaveText('—');
  const coil = Number(await page.locator('[data-testid=signal-row][data-signal="Coil ID"] .value').textContent());
  expect(coil).toBeGreaterThanOrEqual(250001);

  // Retro-capture from the status bar: the last few seconds become a Parquet file.
  await page.getByLabel('minutes to save').fill('0.1');
  await page.getByTestId('capture').click();
  await expect(page.getByTestId('capture-result')).toContainText(/saved [\d,]+ samples to .*\.parquet/, { timeout: 15_000 });
  await page.screenshot({ path: path.join(SCREENS, 'live-trend.png') });
});

test('a PLC that goes away: disconnected with the reason, a gap in the trend, and back by itself', async ({ page }) => {
  const plcPort = await freePort();
  let sim = await startLine(plcPort);
  const workspace = await tempWorkspace(demoConfig('127.0.0.1', plcPort));
  const server = startParx(['serve', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect.poll(async () => (await trendState(page)).points, { timeout: 15_000 }).toBeGreaterThan(50);

  await sim.stop('SIGKILL');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', /disconnected|connecting/, { timeout: 10_000 });
  await expect(page.locator('[data-testid=connection] .reason')).toHaveText(/ECONNREFUSED|closed|ECONNRESET|no answer/, { timeout: 10_000 });
  await page.screenshot({ path: path.join(SCREENS, 'plc-down.png') });

  await page.waitForTimeout(1500);
  sim = await startLine(plcPort);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect.poll(async () => (await trendState(page)).gaps, { timeout: 10_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENS, 'plc-back-with-gap.png') });
});

test('without the token the page is refused', async ({ request }) => {
  const workspace = await tempWorkspace();
  const server = startParx(['serve', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, port] = await server.waitFor(/ParX at http:\/\/127\.0\.0\.1:(\d+)\//);
  const r = await request.get(`http://127.0.0.1:${port}/`);
  expect(r.status()).toBe(401);
});

test('a browser whose engine restarts reconnects and resubscribes by itself', async ({ page }) => {
  const plcPort = await freePort();
  await startLine(plcPort);
  const workspace = await tempWorkspace(demoConfig('127.0.0.1', plcPort));
  const port = await freePort();
  const env = { PARX_TOKEN: 'e2e-fixed-token-0123456789' };
  let server = startParx(['serve', '--port', String(port), '--workspace', workspace], env);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);
  await expect.poll(async () => (await trendState(page)).points, { timeout: 15_000 }).toBeGreaterThan(10);

  await server.stop();
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-link', /closed|connecting/, { timeout: 10_000 });
  const before = await trendState(page);
  server = startParx(['serve', '--port', String(port), '--workspace', workspace], env);
  running.push(server);
  await server.waitFor(/ParX at /);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-link', 'open', { timeout: 15_000 });
  await expect.poll(async () => (await trendState(page)).newest, { timeout: 15_000 }).toBeGreaterThan(before.newest + 500);
  // What happened while the link was down is unknown here: a gap, not a line bridged across it.
  expect((await trendState(page)).gaps).toBeGreaterThan(0);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(SCREENS, 'engine-restarted.png') });
});
