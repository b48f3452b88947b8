/**
 * Live dashboards end to end, against `parx serve --demo`: build a dashboard with every
 * widget type by drag and drop, watch live values change, define and acknowledge an alarm,
 * export it, import it into a fresh workspace (with a damaged copy: a message per bad item,
 * the rest loads), share it read-only, and check that a hidden dashboard holds no subscriptions.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function serveDemo(): Promise<{ url: string; workspace: string }> {
  const workspace = await tempWorkspace();
  const server = startParx(['serve', '--demo', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 120_000);
  return { url: url as string, workspace };
}

async function openDashboardPane(page: Page): Promise<Locator> {
  await page.getByTestId('open-pane').selectOption('dashboard');
  const dash = page.getByTestId('dashboard').last();
  await expect(dash).toBeVisible();
  return dash;
}

/** HTML5 drag and drop onto a point of `target` (fractions of its box). */
async function dropAt(page: Page, source: Locator, target: Locator, fx: number, fy: number): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('drop target not visible');
  await source.dragTo(target, { targetPosition: { x: box.width * fx, y: box.height * fy } });
  await page.waitForTimeout(150);
}

test('build a dashboard with every widget by drag and drop, export it, import it elsewhere, share it', async ({ page, browser }) => {
  test.setTimeout(420_000);
  const { url } = await serveDemo();
  await page.goto(url);
  await expect(page.getByTestId('connection').first()).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  const dash = await openDashboardPane(page);
  await dash.getByTestId('dash-name').fill('Strip line');
  const grid = dash.getByTestId('dash-grid');
  const palette = (w: string): Locator => dash.locator(`[data-testid=palette-item][data-widget="${w}"]`);

  // A signal from the Signals pane onto the empty grid: a value card of that signal.
  await dropAt(page, page.locator('[data-testid=signal-row][data-signal="Exit Tension"]'), grid, 0.05, 0.05);
  // Every widget type from the palette, each dropped at its own place.
  await dropAt(page, palette('trend'), grid, 0.05, 0.05);
  await dropAt(page, palette('gauge'), grid, 0.55, 0.05);
  await dropAt(page, palette('gauge:bar'), grid, 0.8, 0.05);
  await dropAt(page, palette('alarms'), grid, 0.05, 0.6);
  await dropAt(page, palette('markdown'), grid, 0.55, 0.6);
  await dropAt(page, palette('image'), grid, 0.8, 0.6);
  await dropAt(page, palette('value'), grid, 0.55, 0.4);
  const types = async (): Promise<string[]> => (await dash.getByTestId('widget').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.type ?? ''))).sort();
  await expect.poll(types).toEqual(['alarms', 'gauge', 'gauge', 'image', 'markdown', 'trend', 'value', 'value']);
  await expect(dash.locator('[data-testid=value-card][data-signal="Exit Tension"]')).toHaveCount(1);

  // A signal dropped onto the trend joins it.
  const trendWidget = dash.locator('[data-testid=widget][data-type=trend]');
  await dropAt(page, page.locator('[data-testid=signal-row][data-signal="Entry Tension"]'), trendWidget, 0.5, 0.6);
  await expect(trendWidget.locator('.widget-kind')).toHaveText('trend');
  await expect.poll(async () => Number((await trendWidget.getByTestId('dash-trend').getAttribute('data-points')) ?? 0), { timeout: 15_000 }).toBeGreaterThan(20);

  // "Open in analysis" at this moment: an analysis trend pane opens beside the dashboard.
  await trendWidget.getByTestId('trend-analysis').click();
  await expect(trendWidget.getByTestId('trend-note')).toContainText('opened in analysis');
  const analysisTab = page.locator('.dv-tab', { hasText: 'Analysis trend' });
  await expect(analysisTab).toHaveCount(1);
  await analysisTab.getByRole('button', { name: /close/i }).click();
  await page.locator('.dv-tab', { hasText: 'Strip line' }).click();

  // Undo takes the last drop back, redo brings it again (buttons and keys).
  await dash.getByTestId('dash-undo').click();
  await expect(trendWidget.locator('.echarts-for-react, canvas').first()).toBeVisible();
  await page.keyboard.press('Control+y');
  await dash.getByTestId('dash-undo').click();
  await dash.getByTestId('dash-redo').click();

  // The image widget: upload a picture (a screenshot stands in for a line schematic), then drop a signal on it for a label.
  const imageWidget = dash.locator('[data-testid=widget][data-type=image]');
  await imageWidget.getByTestId('widget-settings').click();
  const picture = await page.locator('[data-testid=signal-row]').first().screenshot();
  await dash.getByTestId('image-upload').setInputFiles({ name: 'line-schematic.png', mimeType: 'image/png', buffer: picture });
  await expect(imageWidget.locator('img')).toBeVisible({ timeout: 10_000 });
  await dropAt(page, page.locator('[data-testid=signal-row][data-signal="Line Speed"]'), imageWidget, 0.4, 0.6);
  await expect(imageWidget.locator('.w-image-label')).toHaveCount(1);
  await expect(imageWidget.locator('.w-image-label')).not.toHaveText('—', { timeout: 10_000 });
  await dash.getByTestId('widget-editor').getByRole('button', { name: 'close' }).click();

  // Live values change on their own.
  const card = dash.locator('[data-testid=value-card][data-signal="Exit Tension"] [data-testid=value]');
  await expect(card).not.toHaveText('—', { timeout: 15_000 });
  const first = await card.textContent();
  await expect.poll(async () => card.textContent(), { timeout: 20_000 }).not.toBe(first);
  await expect(dash.getByTestId('markdown').locator('.live-inline')).not.toHaveText('—');
  await expect(dash.getByTestId('gauge-value').first()).not.toHaveText('—');

  // Coalescing: the two cards on different signals are two subscriptions; widgets share by (signals, rate).
  const before = Number(await dash.getByTestId('dash-message').getAttribute('data-subscriptions'));
  await dash.locator('[data-testid=widget][data-type=value]').first().getByTestId('widget-duplicate').click();
  await dash.locator('[data-testid=widget][data-type=value]').first().getByTestId('widget-duplicate').click();
  await page.waitForTimeout(700);
  expect(Number(await dash.getByTestId('dash-message').getAttribute('data-subscriptions'))).toBe(before);
  expect(Number(await dash.getByTestId('dash-message').getAttribute('data-refs'))).toBeGreaterThan(before);

  // An alarm: Line Speed above 1 m/min (the demo line runs), raised, then acknowledged with a comment.
  const log = dash.getByTestId('alarm-log');
  await log.getByTestId('alarm-define-open').click();
  await log.getByLabel('alarm signal').selectOption('Line Speed');
  await log.getByLabel('setpoint').fill('1');
  await log.getByLabel('alarm message').fill('Line running');
  await log.getByTestId('alarm-define-save').click();
  const row = log.locator('[data-testid=alarm-row][data-state=active]').first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByTestId('alarm-ack').click();
  await log.getByTestId('alarm-comment').fill('seen by the e2e test');
  await log.getByTestId('alarm-ack-send').click();
  await expect(log.locator('[data-testid=alarm-row][data-state=acknowledged]').first()).toContainText('seen by the e2e test');
  // A second alarm left unacknowledged: the share link below must show it without an Ack button.
  await log.getByTestId('alarm-define-open').click();
  await log.getByLabel('alarm signal').selectOption('Line Speed');
  await log.getByLabel('setpoint').fill('2');
  await log.getByLabel('alarm message').fill('Line still running');
  await log.getByTestId('alarm-define-save').click();
  await expect(log.locator('[data-testid=alarm-row][data-state=active]').first()).toContainText('Line still running', { timeout: 15_000 });

  await dash.getByTestId('dash-save').click();
  await expect(dash.getByTestId('dash-message')).toContainText('saved');
  await page.screenshot({ path: path.join(SCREENS, 'dashboard-edit.png') });
  await dash.getByTestId('dash-mode').click();
  await expect(dash.getByTestId('palette')).toHaveCount(0);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(SCREENS, 'dashboard-view.png') });

  // A hidden dashboard pane holds no subscriptions; shown again, it renews them.
  const liveStats = (): Promise<number> => page.evaluate(() => (window as unknown as { parxDashboardLive: () => { subscriptions: number } }).parxDashboardLive().subscriptions);
  expect(await liveStats()).toBeGreaterThan(0);
  await page.getByTestId('open-pane').selectOption('health');
  await expect.poll(liveStats).toBe(0);
  await page.locator('.dv-tab', { hasText: 'Strip line' }).click();
  await expect.poll(liveStats).toBeGreaterThan(0);

  // Export.
  const [download] = await Promise.all([page.waitForEvent('download'), dash.getByTestId('dash-export').click()]);
  const exported = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'parx-dash-')), 'strip-line.json');
  await download.saveAs(exported);
  const template = JSON.parse(await fs.readFile(exported, 'utf8'));
  expect(template.format).toBe('parx-dashboard');
  expect(Object.keys(template.images)).toEqual(['line-schematic']);

  // Read-only share link in another browser page.
  await dash.getByTestId('dash-share').click();
  const link = await dash.getByTestId('dash-share-link').inputValue();
  const viewer = await browser.newPage();
  await viewer.goto(link);
  const shared = viewer.getByTestId('dashboard');
  await expect(shared).toHaveAttribute('data-mode', 'view');
  await expect(shared.getByTestId('dash-mode')).toHaveCount(0);
  await expect(shared.locator('[data-testid=value-card] [data-testid=value]').first()).not.toHaveText('—', { timeout: 15_000 });
  // The page knows it is a viewer: it says so and offers nothing the server would refuse.
  await expect(viewer.getByTestId('read-only')).toBeVisible();
  await expect(page.getByTestId('capture')).toBeVisible(); // the operator's page offers retro-capture…
  await expect(viewer.getByTestId('capture')).toHaveCount(0); // …a viewer's does not
  await expect(shared.locator('[data-testid=alarm-row][data-state=active]').first()).toContainText('not acknowledged');
  await expect(shared.getByTestId('alarm-define-open')).toHaveCount(0);
  await expect(shared.getByTestId('alarm-ack')).toHaveCount(0);
  await viewer.screenshot({ path: path.join(SCREENS, 'dashboard-shared.png') });
  // Read-only on the server, not only in the page: the link carries the viewer token, not the operator's.
  const operatorToken = new URL(url).searchParams.get('token') ?? '';
  const viewerToken = new URL(link).searchParams.get('token') ?? '';
  expect(operatorToken.length).toBeGreaterThan(10);
  expect(viewerToken.length).toBeGreaterThan(10);
  expect(viewerToken).not.toBe(operatorToken);
  await viewer.close();

  // Import into a fresh workspace: once as exported, once damaged.
  const second = await serveDemo();
  await page.goto(second.url);
  await expect(page.getByTestId('connection').first()).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  const fresh = await openDashboardPane(page);
  await fresh.getByTestId('dash-import-file').setInputFiles(exported);
  await expect(fresh.getByTestId('import-dialog')).toContainText('No problems found');
  await fresh.getByTestId('import-load').click();
  await expect(fresh.getByTestId('widget')).toHaveCount(10);
  await expect(fresh.locator('[data-testid=widget][data-type=image] img')).toBeVisible();
  await expect(fresh.locator('[data-testid=value-card] [data-testid=value]').first()).not.toHaveText('—', { timeout: 15_000 });
  await fresh.getByTestId('dash-save').click();

  const damaged = structuredClone(template);
  damaged.version = 9;
  damaged.dashboard.name = 'Damaged';
  damaged.dashboard.widgets.push({ id: 'x1', type: 'radar', x: 0, y: 0, w: 2, h: 2 });
  damaged.dashboard.widgets.push({ id: 'x2', type: 'markdown', x: 0, y: 30, w: 3, h: 3, text: 'Hello <script>window.pwned = 1</script> {{Ghost Signal}} <img src="https://example.com/x.png">' });
  damaged.dashboard.widgets.push({ id: 'x3', type: 'image', x: 3, y: 30, w: 3, h: 3, image: 'not-there', labels: [] });
  const damagedFile = path.join(path.dirname(exported), 'damaged.json');
  await fs.writeFile(damagedFile, JSON.stringify(damaged));
  await fresh.getByTestId('dash-import-file').setInputFiles(damagedFile);
  const problems = fresh.getByTestId('import-problem');
  await expect(problems).toHaveCount(6);
  await expect(fresh.getByTestId('import-problems')).toContainText('version 9 is not supported');
  await expect(fresh.getByTestId('import-problems')).toContainText('unknown widget type "radar"');
  await expect(fresh.getByTestId('import-problems')).toContainText('<script>');
  await expect(fresh.getByTestId('import-problems')).toContainText('remote content');
  await expect(fresh.getByTestId('import-problems')).toContainText('image "not-there" is missing');
  await expect(fresh.getByTestId('import-problems')).toContainText('no signal named "Ghost Signal"');
  await fresh.getByLabel('re-map Ghost Signal').selectOption('Line Speed');
  await page.screenshot({ path: path.join(SCREENS, 'dashboard-import-problems.png') });
  await fresh.getByTestId('import-load').click();
  await expect(fresh.getByTestId('widget')).toHaveCount(12);
  const md = fresh.locator('[data-testid=widget][data-type=markdown]').last();
  await expect(md.locator('script')).toHaveCount(0);
  await expect(md.locator('img:not([src])')).toHaveCount(1);
  await expect(md.locator('.live-inline')).not.toHaveText('—', { timeout: 15_000 });
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(fresh.locator('[data-testid=widget][data-type=image]').last()).toContainText('no image named "not-there"');

  // Preferences: the light theme applies to the whole window and survives a reload.
  await page.getByTestId('prefs-theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(SCREENS, 'dashboard-import-light.png') });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light', { timeout: 10_000 });
});
