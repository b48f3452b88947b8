/**
 * The InfluxDB output seen by a user: set up in the Storage rules pane (a field error first),
 * publishing the simulated line to a real influxd; the Health view shows it sending, then
 * retrying with the reason when the server dies, and sending again when it is back.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoConfig } from '../app/sim/demo-config';
import { startInfluxd, type Influxd } from '../app/testing/influxd';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
let influx: Influxd | undefined;
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  await influx?.stop();
});

test('the Health view follows the InfluxDB output through a server outage', async ({ page }) => {
  influx = await startInfluxd();
  await influx.query('CREATE DATABASE plant');
  const plcPort = await freePort();
  const sim = startParx(['sim', '--modbus', String(plcPort)]);
  running.push(sim);
  await sim.waitFor(/Modbus TCP at 127\.0\.0\.1:\d+/);
  const workspace = await tempWorkspace(demoConfig('127.0.0.1', plcPort));
  const server = startParx(['serve', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);

  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(url as string);
  await page.getByTestId('open-pane').selectOption('storage-rules');
  const rules = page.locator('[data-section=influx]');
  await rules.getByTestId('influx-enabled').check();
  await rules.locator('[data-field=url] input').fill('historian:8086');
  await expect(rules.locator('[data-field=url] .field-error')).toContainText('must be an http:// or https:// address');
  await expect(page.getByTestId('save-storage-rules')).toBeDisabled();
  await rules.locator('[data-field=url] input').fill(influx.url);
  await rules.locator('[data-field=database] input').fill('plant');
  await expect(page.getByTestId('save-storage-rules')).toBeEnabled();
  await rules.screenshot({ path: path.join(SCREENS, 'storage-rules-influx.png') });
  await page.getByTestId('save-storage-rules').click();
  await expect(page.getByTestId('storage-rules-message')).toContainText('Saved and applied', { timeout: 30_000 });

  await page.locator('.dv-tab').getByText('Health', { exact: true }).click();
  const status = page.getByTestId('health-influx');
  await expect(status).toContainText(/sending to http:\/\/127\.0\.0\.1:\d+: [1-9][\d]* points, up to/, { timeout: 20_000 });
  await page.screenshot({ path: path.join(SCREENS, 'health-influx-sending.png') });

  await influx.stop();
  await expect(status).toContainText(/retrying .* does not answer/, { timeout: 20_000 });
  await page.screenshot({ path: path.join(SCREENS, 'health-influx-retrying.png') });
  await influx.restart();
  await expect(status).toContainText('sending', { timeout: 40_000 });
  const speed = await influx.query(`SELECT count(value) FROM parx WHERE signal = 'Line Speed'`, 'plant');
  expect(Number(speed[0]?.values[0]?.[1])).toBeGreaterThan(10);
});
