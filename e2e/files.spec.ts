/**
 * A foreign file's journey: a wide CSV from another system goes through the mapping step
 * (preview, time column, units), is imported and opened; two signals are exported to CSV
 * with a progress bar and read back from disk with papaparse; a note is added.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { expect, test } from '@playwright/test';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

const T0 = Date.UTC(2026, 2, 29, 6, 0, 0);

test('import a foreign wide CSV, export two signals to CSV, add an annotation', async ({ page }) => {
  test.setTimeout(180_000);
  const workspace = await tempWorkspace();
  // 10 minutes at 10 Hz from a historian: semicolons, decimal commas, a text column, one broken row.
  const lines = ['Zeitstempel;Line Speed [m/min];Entry Tension (kN);Shift'];
  for (let i = 0; i < 6000; i++) {
    const t = new Date(T0 + i * 100).toISOString().replace('T', ' ').replace('Z', '');
    lines.push(`${t};${(120 + 10 * Math.sin(i / 300)).toFixed(2).replace('.', ',')};${(35 + Math.cos(i / 50)).toFixed(3).replace('.', ',')};B`);
    if (i === 1000) lines.push('2026-03-29 06:01:40.050;###;35;B');
  }
  const csvFile = path.join(workspace, 'historian export.csv');
  await fs.writeFile(csvFile, lines.join('\r\n'));

  const port = await freePort();
  const server = startParx(['serve', '--port', String(port), '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 60_000);
  await page.goto(url as string);

  // Mapping step.
  await page.getByTestId('open-pane').selectOption('files-import');
  const pane = page.getByTestId('import-pane');
  await pane.getByTestId('import-path').fill(csvFile);
  await pane.getByTestId('import-inspect').click();
  await expect(pane.getByTestId('import-preview')).toBeVisible();
  await expect(pane.getByTestId('map-time')).toHaveValue('Zeitstempel');
  await expect(pane.locator('th.signal')).toHaveText(['Line Speed [m/min]', 'Entry Tension (kN)']);
  await expect(pane.getByLabel('unit for Line Speed [m/min]')).toHaveValue('m/min');
  await expect(pane.getByTestId('import-notes')).toContainText('"Shift"');
  await pane.getByTestId('import-name').fill('historian');
  await page.screenshot({ path: path.join(SCREENS, 'files-import-mapping.png') });

  await pane.getByTestId('import-run').click();
  const report = pane.getByTestId('import-report');
  await expect(report).toContainText('Imported 6,000 rows', { timeout: 30_000 });
  await expect(report).toContainText('1 row(s) skipped, first at line 1003');
  await expect(report).toContainText('line 1003: "###" in column Line Speed [m/min] is not a number');
  await page.screenshot({ path: path.join(SCREENS, 'files-import-done.png') });
  // Opening brings up the analysis workspace with the import as its source.
  await pane.getByTestId('import-open').click();
  await expect(page.locator('.dv-tab', { hasText: 'Analysis trend' })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: path.join(SCREENS, 'files-import-opened.png') });
  const folder = path.join(workspace, 'imports', 'historian');

  // Export: the opened import is the source; resampled to 1 ms so there is something to watch.
  await page.getByTestId('open-pane').selectOption('files-export');
  const exp = page.getByTestId('export-pane');
  await expect(exp.getByTestId('source-path')).toHaveValue(folder);
  await expect(exp.getByTestId('export-signals').locator('input:checked')).toHaveCount(2);
  await exp.getByTestId('range-mode').selectOption('all');
  await exp.getByTestId('export-resample').fill('1');
  await exp.getByTestId('export-out').fill('speed-tension');
  await exp.getByTestId('export-run').click();
  await expect(exp.getByTestId('export-progress')).toBeVisible();
  await expect(exp.getByTestId('export-phase')).toContainText('writing', { timeout: 30_000 });
  await page.screenshot({ path: path.join(SCREENS, 'files-export-progress.png') });
  const result = exp.getByTestId('export-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  await page.screenshot({ path: path.join(SCREENS, 'files-export-done.png') });
  const file = (await result.getAttribute('data-file')) as string;
  expect(file).toBe(path.join(workspace, 'exports', 'speed-tension.csv'));
  const parsed = Papa.parse<Record<string, string>>((await fs.readFile(file, 'utf8')).trim(), { header: true });
  expect(parsed.meta.fields).toEqual(['time', 'ts_ms', 'Line Speed [m/min]', 'Entry Tension [kN]']);
  expect(parsed.data).toHaveLength(599_901);
  expect(parsed.data[0]).toMatchObject({ ts_ms: String(T0), 'Line Speed [m/min]': '120', 'Entry Tension [kN]': '36' });
  // Zero-order hold: 50 ms after a sample, the value is still that sample's.
  expect(parsed.data[50]?.['Line Speed [m/min]']).toBe('120');

  // A note on the first minute.
  await page.getByTestId('open-pane').selectOption('files-annotations');
  const notes = page.getByTestId('annotations-pane');
  await notes.getByTestId('source-path').fill(folder);
  await notes.getByTestId('annotation-from').fill('2026-03-29T06:00:00.000');
  await notes.getByTestId('annotation-to').fill('2026-03-29T06:01:00.000');
  await notes.getByTestId('annotation-text').fill('speed dip after the weld');
  await notes.getByTestId('annotation-author').fill('Anna');
  await notes.getByTestId('annotation-add').click();
  await expect(notes.getByTestId('annotation')).toHaveCount(1);
  await expect(notes.getByTestId('annotation')).toContainText('speed dip after the weld');
  await expect(notes.getByTestId('annotation')).toContainText('Anna');
  await page.screenshot({ path: path.join(SCREENS, 'files-annotations.png') });

  // X/Y and spectrum of the imported signals.
  await page.getByTestId('open-pane').selectOption('files-xy');
  const xy = page.getByTestId('xy-pane');
  await xy.getByTestId('source-path').fill(folder);
  await xy.getByTestId('xy-x').selectOption('Line Speed');
  await xy.getByTestId('xy-y').selectOption('Entry Tension');
  await xy.getByTestId('xy-draw').click();
  await expect(xy.getByTestId('xy-chart')).toHaveAttribute('data-points', '6000');
  await page.screenshot({ path: path.join(SCREENS, 'files-xy.png') });
  await page.getByTestId('open-pane').selectOption('files-spectrum');
  const sp = page.getByTestId('spectrum-pane');
  await sp.getByTestId('source-path').fill(folder);
  await sp.getByTestId('spectrum-signal').selectOption('Entry Tension');
  await sp.getByTestId('spectrum-draw').click();
  // cos(i / 50) at 10 Hz sampling: 10 / (2π · 50) ≈ 0.0318 Hz.
  await expect(sp.getByTestId('spectrum-info')).toContainText('peak 0.03');
  await page.screenshot({ path: path.join(SCREENS, 'files-spectrum.png') });
  const saved = JSON.parse(await fs.readFile(path.join(workspace, 'annotations.json'), 'utf8')) as { annotations: { source: string; text: string }[] };
  expect(saved.annotations).toMatchObject([{ source: folder, text: 'speed dip after the weld' }]);
});

test('a file dropped on the import pane is uploaded and previewed; a file with no time column asks for one', async ({ page }) => {
  const workspace = await tempWorkspace();
  const port = await freePort();
  const server = startParx(['serve', '--port', String(port), '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 60_000);
  await page.goto(url as string);
  await page.getByTestId('open-pane').selectOption('files-import');
  const pane = page.getByTestId('import-pane');
  // A browser hands over contents, not a path: what a user dragging from the desktop does.
  const drop = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['a;b;c\n1;2;3\n4;5;6\n'], 'no-time.csv', { type: 'text/csv' }));
    return dt;
  });
  await pane.dispatchEvent('drop', { dataTransfer: drop });
  await expect(pane.getByTestId('import-preview')).toBeVisible();
  await expect(pane.getByTestId('import-path')).toHaveValue(path.join(workspace, 'uploads', 'no-time.csv'));
  await expect(pane.getByTestId('import-notes')).toContainText('no column looks like a timestamp: choose the time column');
  await expect(pane.getByTestId('map-time')).toHaveValue('');
  await expect(pane.getByTestId('import-run')).toBeDisabled();
  await page.screenshot({ path: path.join(SCREENS, 'files-import-no-time.png') });
});
