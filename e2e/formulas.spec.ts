/**
 * Formulas end to end, against `parx serve --demo`: open the formula editor, see a squiggle
 * for a typo, complete a signal, see the live preview drawing, save the formula as a derived
 * signal, find it in the Signals list with a live value, and drag it onto a live trend.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

/** Replaces the editor's text by typing, as a user would. */
async function typeFormula(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid=formula-code] .monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text, { delay: 15 });
  await page.keyboard.press('Escape'); // close a completion list if one is open
}

test('type a formula, see the squiggle and the preview, save it, and drag the derived signal onto a trend', async ({ page }) => {
  test.setTimeout(240_000); // a loaded machine takes a while to start the engine from source
  const workspace = await tempWorkspace();
  const server = startParx(['serve', '--demo', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/, 120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });

  await page.goto(url as string);
  await expect(page.getByTestId('connection').first()).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await page.getByTestId('open-pane').selectOption('formula-editor');
  await expect(page.locator('[data-testid=formula-code] .monaco-editor')).toBeVisible({ timeout: 15_000 });

  // A typo: a squiggle under exactly the misspelt name, and the message.
  await typeFormula(page, '[Line Sped] * 2');
  const status = page.getByTestId('formula-status');
  await expect(status).toHaveAttribute('data-state', 'error');
  await expect(status).toContainText("unknown signal 'Line Sped' (at 0)");
  await expect(page.locator('[data-testid=formula-code] .squiggly-error')).toHaveCount(1);
  await page.screenshot({ path: path.join(SCREENS, 'formula-typo.png') });

  // Completion of a signal name, with its unit.
  await typeFormula(page, '[Line Sp');
  await page.keyboard.press('ControlOrMeta+Space');
  const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'Line Speed' }).first();
  await expect(suggestion).toBeVisible();
  await expect(suggestion).toContainText('m/min');
  await page.screenshot({ path: path.join(SCREENS, 'formula-completion.png') });
  await page.keyboard.press('Enter');
  await page.keyboard.type(' * 2', { delay: 15 });
  await expect(status).toHaveAttribute('data-state', 'ok');
  await expect(status).toContainText('result unit: m/min');
  await expect(page.locator('[data-testid=formula-code] .squiggly-error')).toHaveCount(0);

  // The live preview draws the result.
  const preview = page.getByTestId('formula-preview');
  await expect.poll(async () => Number((await preview.getAttribute('data-points')) ?? 0), { timeout: 15_000 }).toBeGreaterThan(20);
  await expect(page.getByTestId('preview-note')).toContainText('samples');

  // The function library: search, click inserts at the cursor.
  await page.getByLabel('search functions').fill('moving average');
  await expect(page.locator('[data-testid=function-item][data-function=sma]')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENS, 'formula-preview.png') });

  // Save as a derived signal; the unit defaults to the inferred one.
  await page.getByLabel('derived signal name').fill('Speed x2');
  await page.getByLabel('derived signal description').fill('twice the line speed');
  await page.getByTestId('derived-save').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('derived-result')).toHaveAttribute('data-ok', 'true', { timeout: 10_000 });

  // In the Signals list, with a live value like any signal.
  await page.getByRole('tab', { name: 'Signals' }).click().catch(() => undefined);
  const row = page.locator('[data-testid=signal-row][data-signal="Speed x2"]');
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row.locator('.unit')).toHaveText('m/min');
  await expect(row.locator('.value')).not.toHaveText('—', { timeout: 10_000 });

  // Drag it onto the live trend: the trend takes it and draws it.
  await page.locator('.dv-tab', { hasText: 'Live trend' }).first().click();
  const trend = page.getByTestId('trend').first();
  await expect(trend).toBeVisible();
  const before = Number((await trend.getAttribute('data-points')) ?? 0);
  await row.dragTo(trend);
  await expect(trend).toHaveAttribute('data-signals', /Speed x2/);
  await expect.poll(async () => Number((await trend.getAttribute('data-points')) ?? 0), { timeout: 10_000 }).toBeGreaterThan(before);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENS, 'formula-derived-on-trend.png') });
  expect(problems.filter((p) => !/favicon/.test(p))).toEqual([]);
});
