/**
 * The recordings view against the demo line: the coil being written sits on top marked
 * "recording"; Stop closes it into the catalog, Start opens the next; "save the last X
 * minutes" writes a batch of its own; Clean up shows what the retention rules would remove
 * before it removes anything.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { demoConfig } from '../app/sim/demo-config';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

test.setTimeout(240_000);

test('recordings: open batch on top, stop/start, save last minutes, clean up with a preview', async ({ page }) => {
  // A port nobody serves: `serve --demo` points the connection at its own demo line (never another test's on 5020).
  const workspace = await tempWorkspace({
    ...demoConfig('127.0.0.1', await freePort()),
    recording: { enabled: true, line: 'Demo Line', rule: { mode: 'coil', coilSignal: 'Coil ID' }, lengthSignal: 'Coil Length', compression: 'zstd', retention: { maxCount: 2 } },
  });
  const server = startParx(['serve', '--port', '0', '--demo', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 90_000);
  await page.goto(url as string);
  await page.getByTestId('open-pane').selectOption('recordings');
  const pane = page.getByTestId('recordings-pane');
  const rows = pane.getByTestId('recordings-row');
  const recordingRow = pane.locator('[data-testid=recordings-row][data-status=recording]');
  const completeRows = pane.locator('[data-testid=recordings-row][data-status=complete]');

  // The demo coil is being written.
  await expect(recordingRow).toHaveCount(1, { timeout: 20_000 });
  await expect(rows.first()).toHaveAttribute('data-status', 'recording');
  await expect(recordingRow).toContainText('250001');

  // Stop: the batch closes and appears from the catalog; nothing is recording.
  await pane.getByTestId('rec-stop').click();
  await expect(recordingRow).toHaveCount(0, { timeout: 15_000 });
  await expect(completeRows.first()).toBeVisible({ timeout: 15_000 });
  // A demo coil may also end by itself meanwhile: count from here on.
  const afterFirstStop = await completeRows.count();
  await expect(pane.getByTestId('rec-stop')).toBeDisabled();

  // Start: a new batch of the same coil opens on top; stop it again.
  await pane.getByTestId('rec-start').click();
  await expect(recordingRow).toHaveCount(1, { timeout: 15_000 });
  await expect(rows.first()).toHaveAttribute('data-status', 'recording');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(SCREENS, 'recordings.png') });
  await pane.getByTestId('rec-stop').click();
  await expect(recordingRow).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(() => completeRows.count(), { timeout: 15_000 }).toBeGreaterThan(afterFirstStop);
  const beforeCapture = await completeRows.count();

  // Save the last few seconds: a third batch.
  await pane.getByTestId('rec-capture-minutes').fill('0.1');
  await pane.getByTestId('rec-capture').click();
  await expect(pane.getByTestId('recordings-message')).toContainText('Saved the last 0.1 min', { timeout: 15_000 });
  await expect(completeRows).toHaveCount(beforeCapture + 1, { timeout: 15_000 });

  // Clean up keeps the newest two: the preview names the oldest, nothing is gone yet.
  await pane.getByTestId('rec-cleanup').click();
  const preview = pane.getByTestId('cleanup-preview');
  await expect(preview).toContainText('keeps its newest 2 batches');
  await expect(preview.locator('li')).toHaveCount(beforeCapture - 1);
  await expect(completeRows).toHaveCount(beforeCapture + 1);
  await page.screenshot({ path: path.join(SCREENS, 'recordings-cleanup-preview.png') });
  await pane.getByTestId('cleanup-run').click();
  await expect(pane.getByTestId('recordings-message')).toContainText(`Cleaned up ${beforeCapture - 1} batch file(s).`);
  await expect(completeRows).toHaveCount(2, { timeout: 10_000 });
});
