/**
 * Storage rules end to end, against `parx serve --demo`: open the pane, add a trigger with
 * a negative pre-trigger time → the engine's message at that field and Save disabled; make
 * it a valid edge trigger on the weld bit → saved, applied, and listed in the trigger status.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

test('edit the recording section: a field error, then a valid event trigger saved and running', async ({ page }) => {
  test.setTimeout(300_000);
  const workspace = await tempWorkspace();
  const server = startParx(['serve', '--demo', '--port', '0', '--workspace', workspace]);
  running.push(server);
  // The machine may be busy: give the engine time to start.
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(url as string);
  await expect(page.getByTestId('connection').first()).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await page.getByTestId('open-pane').selectOption('storage-rules');
  const pane = page.getByTestId('storage-rules');
  await expect(pane).toBeVisible();
  // The demo records by coil: the rule form shows it.
  await expect(page.getByTestId('rule-mode')).toHaveValue('coil');

  await page.getByTestId('add-trigger').click();
  const trigger = page.getByTestId('trigger-0');
  await trigger.locator('[data-field=name] input').fill('Weld');
  await trigger.locator('[data-field=preMs] input').fill('-5');
  const preError = trigger.locator('[data-field=preMs] .field-error');
  await expect(preError).toHaveText('must not be negative');
  await expect(page.getByTestId('save-storage-rules')).toBeDisabled();
  await pane.screenshot({ path: path.join(SCREENS, 'storage-rules-field-error.png') });

  // A formula that does not compile: its message says where.
  const start = trigger.locator('[data-condition=start]');
  await start.getByTestId('condition-type').selectOption('formula');
  await start.locator('[data-field=formula] input').fill('[Weld Seam] > > 0.5');
  await expect(start.locator('[data-field=formula] .field-error')).toContainText(/formula: .* at \d+/);

  // Valid: an edge trigger on the weld bit with pre and post time.
  await start.getByTestId('condition-type').selectOption('edge');
  await start.locator('[data-field=signal] select').selectOption('Weld Seam');
  await trigger.locator('[data-field=preMs] input').fill('500');
  await trigger.locator('[data-field=postMs] input').fill('700');
  await expect(preError).toHaveCount(0);
  await expect(page.getByTestId('save-storage-rules')).toBeEnabled();
  await page.getByTestId('save-storage-rules').click();
  // Applying closes the open coil batch and starts the trigger worker: seconds on a busy machine.
  await expect(page.getByTestId('storage-rules-message')).toContainText('Saved and applied', { timeout: 60_000 });

  // Applied: the trigger is armed (or already recording) in the engine.
  const row = page.locator('[data-testid=trigger-status] tr[data-trigger=Weld]');
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row.locator('.trigger-state')).toHaveText(/armed|active|post-trigger|dead-time/);
  await page.getByTestId('trigger-0').scrollIntoViewIfNeeded();
  await pane.screenshot({ path: path.join(SCREENS, 'storage-rules-saved.png') });
  await page.locator('[data-section=trigger-status]').scrollIntoViewIfNeeded();
  await pane.screenshot({ path: path.join(SCREENS, 'storage-rules-status.png') });
  expect(problems).toEqual([]);
});
