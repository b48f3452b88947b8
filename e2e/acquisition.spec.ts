/**
 * A commissioning engineer imports the PLC programmer's register map (CSV) into the tag
 * browser, sees the bad rows by line, adds the good registers as signals, and checks the
 * acquisition plan: requests after packing, predicted beside measured cycle time.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

const MAP = [
  'name,address,type,order,unit,description,scale,offset',
  'Speed abcd,hr:10:float32:abcd,,,m/min,Line speed (high word first),1,0',
  'Speed cdab,40041,float32,cdab,m/min,Line speed as the PLC stores it,,',
  'Coil raw,hr:2:uint32:abcd,,,,Coil id,1,0',
  'Broken type,hr:20:float33,,,,,,',
  'Too far,hr:70000,,,,,,',
].join('\n');

test('register map from CSV → signals → acquisition plan beside measured cycles', async ({ page }) => {
  test.setTimeout(150_000);
  const plcPort = await freePort();
  const sim = startParx(['sim', '--modbus', String(plcPort)]);
  running.push(sim);
  await sim.waitFor(/Modbus TCP at/);
  const server = startParx(['serve', '--port', '0', '--workspace', await tempWorkspace()]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);

  await page.getByRole('tab', { name: 'I/O' }).click();
  await page.getByTestId('new-modbus').click();
  const editor = page.getByTestId('connection-editor');
  await editor.locator('#f-name').fill('Line PLC');
  await editor.locator('#f-host').fill('127.0.0.1');
  await editor.locator('#f-port').fill(String(plcPort));
  await page.getByTestId('save-connection').click();
  await expect(page.getByTestId('connection-message')).toContainText('Saved');

  await page.getByTestId('register-map-file').setInputFiles({ name: 'line-plc.csv', mimeType: 'text/csv', buffer: Buffer.from(MAP) });
  await expect(page.getByTestId('register-row')).toHaveCount(3);
  const problems = page.getByTestId('register-map-problems');
  await expect(problems).toContainText('line 5: Broken type: unknown type "float33"');
  await expect(problems).toContainText('line 6: Too far:');
  await expect(page.getByTestId('register-map')).toContainText('hr:40:float32:cdab');
  await page.getByTestId('register-map').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENS, 'register-map-import.png') });
  await page.getByTestId('register-map-add').click();
  await expect(page.getByTestId('connection-message')).toContainText('Added 3 signal(s) to Line PLC');

  // Opened beside the trend, where the table has room.
  await page.getByRole('tab', { name: 'Live trend' }).click();
  await page.getByTestId('open-pane').selectOption('acquisition-plan');
  const group = page.getByTestId('plan-group');
  await expect(group).toHaveCount(1);
  await expect(group).toHaveAttribute('data-verdict', 'ok');
  await expect(group.getByTestId('plan-measured')).toHaveText(/\d+(\.\d+)? ms/, { timeout: 20_000 });
  await expect(group.getByTestId('plan-predicted')).toHaveText(/\d+(\.\d+)? ms/);
  await group.getByTestId('plan-requests').click();
  // hr:2..3 and hr:10..11 are close enough to share one read (gap ≤ 16); hr:40..41 needs its own.
  await expect(page.getByTestId('plan-request-list')).toHaveText(/hr 2\.\.11\s*hr 40\.\.41/);
  await page.screenshot({ path: path.join(SCREENS, 'acquisition-plan.png') });
});
