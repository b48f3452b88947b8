/**
 * The offline-analysis journey: coils written by the real recorder (plus a truncated file),
 * `parx serve --open`, then in Chromium: the batch list, two signals dragged onto a trend,
 * A/B cursors with their statistics, the length axis, the next coil, an overlay and the
 * golden envelope — and the layout restored after a restart.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const ROOT = path.resolve(import.meta.dirname, '..');
const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

const chart = (page: Page) => page.getByTestId('analysis-chart');
const attr = async (page: Page, name: string): Promise<number> => Number((await chart(page).getAttribute(name)) ?? 0);

async function serve(workspace: string, extra: string[]): Promise<string> {
  const port = await freePort();
  const server = startParx(['serve', '--port', String(port), '--workspace', workspace, ...extra]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 60_000);
  return url as string;
}

test('open recorded coils, drag signals, cursors, length axis, next coil, overlay, envelope', async ({ page }) => {
  test.setTimeout(180_000);
  const workspace = await tempWorkspace();
  const recordings = path.join(workspace, 'recordings');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'app/analysis/testing/write-coils.ts'), recordings, '3', '3000'], { cwd: ROOT });
  // A copy cut in half, as a full disk leaves it: listed with a problem, the rest loads.
  execFileSync(process.execPath, ['-e', `const fs=require('fs');const p=require('path');const d=process.argv[1];const f=fs.readdirSync(d,{recursive:true}).find(x=>x.endsWith('.parquet'));const b=fs.readFileSync(p.join(d,f));fs.writeFileSync(p.join(d,'cut-copy.parquet'),b.subarray(0,b.length>>1))`, recordings]);

  // The workspace's alarm history (as the alarm service appends it): one alarm raised and cleared inside the first coil.
  const coil1 = Date.UTC(2026, 2, 29, 6, 0, 0);
  const alarm = { key: `tension-hi@${coil1 + 10_000}`, alarm: 'tension-hi', message: 'Exit tension high', priority: 4, value: 61, state: 'cleared', activeAt: coil1 + 10_000, ackAt: null, ackComment: null, clearedAt: coil1 + 12_000 };
  writeFileSync(path.join(workspace, 'alarms-history.jsonl'), `${JSON.stringify({ ...alarm, state: 'active', clearedAt: null })}\n${JSON.stringify(alarm)}\n`);

  const url = await serve(workspace, ['--open', recordings]);
  await page.goto(url);

  // Opened at start: the analysis workspace comes up with the batch list.
  await expect(page.getByTestId('analysis-browser')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('[data-testid=batch-list] tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('analysis-problems')).toContainText('cut-copy.parquet');
  await expect(page.getByTestId('analysis-problems')).toContainText(/truncated or corrupt/);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-1-opened.png') });

  // Search the signal tree, drag two signals onto the trend.
  await page.getByTestId('signal-search').fill('tension');
  await expect(page.getByTestId('analysis-signal')).toHaveCount(1);
  await page.getByTestId('analysis-signal').dragTo(page.getByTestId('trend-drop'));
  await page.getByTestId('signal-search').fill('');
  await page.locator('[data-testid=analysis-signal][data-signal="Line Speed"]').dragTo(page.getByTestId('trend-drop'));
  await expect.poll(() => attr(page, 'data-series'), { timeout: 20_000 }).toBe(2);
  expect(await attr(page, 'data-points')).toBeGreaterThan(100);
  // Decimated: never more than a few thousand points whatever the file holds.
  expect(await attr(page, 'data-points')).toBeLessThan(2 * 4 * 4000);
  // The alarm raised during this coil is drawn as an event marker.
  await expect.poll(() => attr(page, 'data-alarms'), { timeout: 10_000 }).toBe(1);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-2-two-signals.png') });

  // Wheel zoom refetches at the new resolution; zoom undo goes back.
  const full = (await attr(page, 'data-to')) - (await attr(page, 'data-from'));
  const area = (await chart(page).boundingBox())!;
  await page.mouse.move(area.x + area.width * 0.5, area.y + area.height * 0.4);
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await attr(page, 'data-to')) - (await attr(page, 'data-from')), { timeout: 10_000 }).toBeLessThan(full * 0.8);
  await expect.poll(() => attr(page, 'data-points'), { timeout: 10_000 }).toBeGreaterThan(100);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-2b-zoomed.png') });
  await page.getByTestId('zoom-undo').click();
  await page.getByRole('button', { name: 'all', exact: true }).last().click();
  await expect.poll(async () => (await attr(page, 'data-to')) - (await attr(page, 'data-from')), { timeout: 10_000 }).toBe(full);

  // A and B cursors: the table gets exact statistics between them.
  const box = (await chart(page).boundingBox())!;
  await page.getByTestId('place-a').click();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.35);
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.35);
  const tensionRow = page.locator('[data-testid=cursor-table] tr[data-signal="Entry Tension"] td');
  await expect.poll(async () => Number(await tensionRow.nth(8).textContent()), { timeout: 15_000 }).toBeGreaterThan(100);
  const mean = Number(await tensionRow.nth(6).textContent());
  expect(mean).toBeGreaterThan(17);
  expect(mean).toBeLessThan(23);
  await expect(page.locator('[data-testid=cursor-table] th').nth(3)).toContainText(/Δt = \d/);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-3-cursors.png') });

  // A note between the cursors (the annotations pane proposes their range), drawn on the trend.
  await page.getByTestId('open-pane').selectOption('files-annotations');
  const notes = page.getByTestId('annotations-pane');
  await expect(notes.getByTestId('source-path')).toHaveValue(recordings);
  await notes.getByTestId('annotation-text').fill('tension swing after the weld');
  await notes.getByTestId('annotation-author').fill('Anna');
  await notes.getByTestId('annotation-add').click();
  await expect(notes.getByTestId('annotation')).toContainText('tension swing after the weld');
  await page.locator('.dv-tab').getByText('Analysis trend').click();
  await expect.poll(() => attr(page, 'data-notes'), { timeout: 10_000 }).toBe(1);
  // Brought back from behind another tab, the chart fills its pane again (it once collapsed to 0 px).
  await expect.poll(async () => (await chart(page).boundingBox())?.height ?? 0).toBeGreaterThan(200);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-3b-annotation.png') });

  // Export the trend's two signals between the cursors to CSV; the note travels with the data.
  await page.getByTestId('open-pane').selectOption('files-export');
  const exp = page.getByTestId('export-pane');
  await expect(exp.getByTestId('source-path')).toHaveValue(recordings);
  for (const box of await exp.getByTestId('export-signals').locator('label').all()) await box.locator('input').setChecked(/^\s*(Entry Tension|Line Speed)\b/.test((await box.textContent()) ?? ''));
  await exp.getByTestId('range-mode').selectOption('cursors');
  await exp.getByTestId('export-out').fill('coil-4711-cursors');
  await exp.getByTestId('export-run').click();
  const exported = exp.getByTestId('export-result');
  await expect(exported).toBeVisible({ timeout: 60_000 });
  await expect(exp.getByTestId('export-skipped')).toContainText('cut-copy.parquet'); // the cut copy is named, the rest exported
  await page.screenshot({ path: path.join(SCREENS, 'analysis-3c-export.png') });
  const csv = readFileSync((await exported.getAttribute('data-file')) as string, 'utf8').split('\r\n');
  expect(csv[0]).toContain('Entry Tension [kN]');
  expect(csv[0]).toContain('Line Speed [m/min]');
  const rows = csv.slice(1, csv.findIndex((l) => l.startsWith('# annotations')));
  // 40% of a 30 s coil at 10 ms: about 1,200 rows, every one between the cursors.
  expect(rows.length).toBeGreaterThan(900);
  expect(rows.length).toBeLessThan(1500);
  expect(csv.join('\n')).toContain('tension swing after the weld');
  await page.locator('.dv-tab').getByText('Analysis trend').click();

  // Strip length on x (integrated from Line Speed by the recorder: length_m).
  await page.getByTestId('axis-mode').selectOption('length');
  await expect.poll(() => attr(page, 'data-to'), { timeout: 15_000 }).toBeLessThan(100_000);
  expect(await attr(page, 'data-to')).toBeGreaterThan(10);
  // Drawn against metres: the series refetched for the length axis (not the time series left over).
  await expect(chart(page)).toHaveAttribute('data-kind', 'length', { timeout: 15_000 });
  expect(await attr(page, 'data-points')).toBeGreaterThan(100);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-4-length-axis.png') });

  // A note on a stretch of this coil in metres: drawn on the length axis (the time note is not).
  await page.getByTestId('open-pane').selectOption('files-annotations');
  await notes.getByTestId('annotation-axis').selectOption('length');
  await notes.getByTestId('annotation-from').fill('5');
  await notes.getByTestId('annotation-to').fill('8.5 m');
  await notes.getByTestId('annotation-text').fill('edge wave');
  await notes.getByTestId('annotation-add').click();
  await expect(notes.getByTestId('annotation').filter({ hasText: 'edge wave' })).toContainText('5.0 m → 8.5 m');
  await page.locator('.dv-tab').getByText('Analysis trend').click();
  await expect.poll(() => attr(page, 'data-notes'), { timeout: 10_000 }).toBe(1);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-4b-length-note.png') });

  // Next coil, then overlay the one after it, aligned at the head.
  await page.getByTestId('axis-mode').selectOption('relative');
  await page.getByTestId('coil-next').click();
  await expect(page.getByTestId('trend-coil')).toHaveText('coil 4712');
  await expect.poll(() => attr(page, 'data-alarms'), { timeout: 10_000 }).toBe(0); // the alarm was in the first coil only
  await page.screenshot({ path: path.join(SCREENS, 'analysis-5-next-coil.png') });
  await page.getByTestId('overlay-next').click();
  await expect.poll(() => attr(page, 'data-series'), { timeout: 15_000 }).toBe(4);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-6-overlay.png') });

  await page.getByTestId('envelope').click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-7-envelope.png') });

  // Restart without --open: layout, source, coil, pane contents and cursors come back from the workspace.
  await page.waitForTimeout(1500);
  await Promise.all(running.splice(0).map((p) => p.stop()));
  const again = await serve(workspace, []);
  await page.goto(again);
  await expect(page.getByTestId('trend-coil')).toHaveText('coil 4712', { timeout: 20_000 });
  await expect(page.locator('.chip')).toHaveText(['Entry Tension×', 'Line Speed×']);
  await expect.poll(() => attr(page, 'data-series'), { timeout: 20_000 }).toBe(4);
  await expect.poll(async () => Number(await tensionRow.nth(8).textContent()), { timeout: 15_000 }).toBeGreaterThan(100);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-8-restored.png') });
});
