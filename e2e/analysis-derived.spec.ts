/**
 * The workspace's derived signals in the analysis window: their own group in the signal
 * tree (formula as tooltip), one with an input the recording lacks shown greyed with why,
 * and a derived signal dragged onto a trend like any recorded one.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const ROOT = path.resolve(import.meta.dirname, '..');
const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

test('derived signals in the analysis signal tree and on a trend', async ({ page }) => {
  test.setTimeout(120_000);
  const workspace = await tempWorkspace({
    version: 1,
    connections: [],
    signals: [],
    derived: [
      { name: 'Tension x Speed', unit: 'kN·m/min', description: 'tension times speed', formula: '[Entry Tension] * [Line Speed] / 100' },
      { name: 'Flow x2', formula: '[Flow] * 2' },
    ],
  });
  const recordings = path.join(workspace, 'recordings');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'app/analysis/testing/write-coils.ts'), recordings, '2', '2000'], { cwd: ROOT });
  const port = await freePort();
  const server = startParx(['serve', '--port', String(port), '--workspace', workspace, '--open', recordings]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 60_000);
  await page.goto(url as string);

  await expect(page.getByTestId('analysis-browser')).toBeVisible({ timeout: 20_000 });
  const derived = page.locator('[data-testid=analysis-signal][data-signal="Tension x Speed"]');
  await expect(derived).toBeVisible();
  await expect(derived).toHaveAttribute('title', /Tension x Speed = \[Entry Tension\] \* \[Line Speed\] \/ 100/);
  const missing = page.locator('[data-testid=analysis-signal][data-signal="Flow x2"]');
  await expect(missing).toHaveAttribute('data-status', 'missing input: Flow');
  await expect(missing).toContainText('missing input: Flow');
  await expect(page.getByTestId('signal-tree').locator('details').last().locator('summary')).toContainText('Derived signals');
  await page.screenshot({ path: path.join(SCREENS, 'analysis-derived-1-tree.png') });

  await derived.dragTo(page.getByTestId('trend-drop'));
  const chart = page.getByTestId('analysis-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-series')), { timeout: 20_000 }).toBe(1);
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(100);
  await page.screenshot({ path: path.join(SCREENS, 'analysis-derived-2-trend.png') });
});
