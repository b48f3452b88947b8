/**
 * A commissioning engineer's first minutes: add a connection from the form, see field
 * errors as they type, test it against the PLC, save it, and watch it in the health view.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoConfig } from '../app/sim/demo-config';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

test('add a Modbus connection: field errors, Test connection, Save, Health', async ({ page }) => {
  const plcPort = await freePort();
  const sim = startParx(['sim', '--modbus', String(plcPort)]);
  running.push(sim);
  await sim.waitFor(/Modbus TCP at/);
  const server = startParx(['serve', '--port', '0', '--workspace', await tempWorkspace()]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);

  await page.locator('.dv-tab').getByText('I/O', { exact: true }).click();
  await page.getByTestId('new-modbus').click();
  const editor = page.getByTestId('connection-editor');
  await editor.locator('#f-name').fill('Line PLC');
  await editor.locator('#f-host').fill('127.0.0.1');
  await editor.locator('#f-port').fill('70000');
  await expect(editor.locator('[data-field=port] .field-error')).toHaveText('must be between 1 and 65535');
  await expect(page.getByTestId('save-connection')).toBeDisabled();
  await page.screenshot({ path: path.join(SCREENS, 'io-field-error.png') });

  await editor.locator('#f-port').fill(String(plcPort));
  await expect(editor.locator('[data-field=port] .field-error')).toHaveCount(0);
  await editor.locator('#test-addresses').fill('hr:2:uint32 hr:10:float32:abcd hr:70000');
  await page.getByTestId('test-connection').click();
  const result = page.getByTestId('test-result');
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 15_000 });
  await expect(result).toContainText('250001');
  await expect(result).toContainText('beyond 65535');
  await page.screenshot({ path: path.join(SCREENS, 'io-test-connection.png') });

  await page.getByTestId('save-connection').click();
  await expect(page.getByTestId('connection-message')).toContainText('Saved');

  await page.locator('.dv-tab').getByText('Health', { exact: true }).click();
  await expect(page.getByTestId('health-connection').first()).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await page.screenshot({ path: path.join(SCREENS, 'health.png') });

  // Test a connection that cannot work: the exact error, no crash.
  await page.locator('.dv-tab').getByText('I/O', { exact: true }).click();
  await page.getByTestId('new-modbus').click();
  await editor.locator('#f-host').fill('127.0.0.1');
  await editor.locator('#f-port').fill('1');
  await page.getByTestId('test-connection').click();
  await expect(result).toHaveAttribute('data-ok', 'false', { timeout: 15_000 });
  await expect(result).toContainText('ECONNREFUSED');
});

test('browse a Logix controller, tick tags, add them as signals, see them live', async ({ page }) => {
  const enipPort = await freePort();
  // A free Modbus port too: the simulator serves Modbus beside EtherNet/IP, on 502 unless told otherwise.
  const sim = startParx(['sim', '--enip', String(enipPort), '--modbus', String(await freePort())]);
  running.push(sim);
  await sim.waitFor(/EtherNet\/IP/);
  const server = startParx(['serve', '--port', '0', '--workspace', await tempWorkspace()]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);

  await page.locator('.dv-tab').getByText('I/O', { exact: true }).click();
  await page.getByTestId('new-enip').click();
  const editor = page.getByTestId('connection-editor');
  await editor.locator('#f-name').fill('Logix');
  await editor.locator('#f-host').fill('127.0.0.1');
  await editor.locator('#f-port').fill(String(enipPort));
  await page.getByTestId('browse').click();
  await expect(page.locator('[data-testid=browse-item][data-id=LineSpeed]')).toBeVisible({ timeout: 15_000 });
  await page.locator('[data-testid=browse-item][data-id=LineSpeed] input[type=checkbox]').check();
  await page.locator('[data-testid=browse-item][data-id=CoilID] input[type=checkbox]').check();
  await page.screenshot({ path: path.join(SCREENS, 'io-browse-logix.png') });
  await page.getByTestId('add-signals').click();
  await expect(page.getByTestId('connection-message')).toContainText('Added 2 signal(s)');

  await page.locator('.dv-tab').getByText('Signals', { exact: true }).click();
  const coil = page.locator('[data-testid=signal-row][data-signal=CoilID] .value');
  await expect(coil).toHaveText(/^2500\d\d$/, { timeout: 15_000 });
  await page.screenshot({ path: path.join(SCREENS, 'io-browsed-signals-live.png') });
});

test('signal table: bulk edit, a located error on Save, CSV export and import', async ({ page }, testInfo) => {
  const plcPort = await freePort();
  const sim = startParx(['sim', '--modbus', String(plcPort)]);
  running.push(sim);
  await sim.waitFor(/Modbus TCP at/);
  const server = startParx(['serve', '--port', '0', '--workspace', await tempWorkspace(demoConfig('127.0.0.1', plcPort))]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);
  await page.locator('.dv-tab').getByText('Signal table', { exact: true }).click();
  const rows = page.getByTestId('signal-table-row');
  await expect(rows).toHaveCount(12);

  const address = page.locator('[data-testid=signal-table-row][data-signal="Strip Width"] input[data-col=address]');
  await address.fill('hr:70000:uint16');
  await page.getByTestId('save-signals').click();
  await expect(page.getByTestId('signals-message')).toContainText('Not saved');
  await expect(page.locator('[data-testid=signal-table-row][data-signal="Strip Width"] td.invalid')).toHaveCount(1);
  await page.screenshot({ path: path.join(SCREENS, 'signal-table-error.png') });
  await address.fill('hr:8:uint16');

  await page.getByLabel('select Line Speed').check();
  await page.getByLabel('select Entry Tension').check();
  await page.getByLabel('timebase for selected').fill('50');
  await page.getByTestId('bulk-timebase').click();
  await page.getByTestId('save-signals').click();
  await expect(page.getByTestId('signals-message')).toContainText('Saved 12 signals');
  await expect(page.locator('[data-testid=signal-table-row][data-signal="Line Speed"] input[data-col=timebaseMs]')).toHaveValue('50');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csvPath = testInfo.outputPath('signals.csv');
  await download.saveAs(csvPath);
  const csv = await fs.readFile(csvPath, 'utf8');
  expect(csv.split('\n')[0]).toBe('name,unit,description,connection,address,scale,offset,timebaseMs');
  expect(csv.trim().split('\n')).toHaveLength(13);

  const extra = `${csv.trim()}\nSpeed float,m/min,from the float block,Demo Line,hr:10:float32:abcd,1,0,100\n`;
  await page.getByTestId('import-csv').setInputFiles({ name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from(extra) });
  await expect(page.getByTestId('signals-message')).toContainText('13 signal(s) read');
  await page.getByTestId('save-signals').click();
  await expect(page.getByTestId('signals-message')).toContainText('Saved 13 signals');
  await page.locator('.dv-tab').getByText('Signals', { exact: true }).click();
  await expect(page.locator('[data-testid=signal-row][data-signal="Speed float"] .value')).not.toHaveText('—', { timeout: 15_000 });
  await page.screenshot({ path: path.join(SCREENS, 'signal-table-imported.png') });
});
