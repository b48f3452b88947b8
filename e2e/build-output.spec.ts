/**
 * The Electron build cannot be launched here, so its main-process output is checked as files:
 * every file a bundle reaches with `new URL('./…', import.meta.url)` must ship beside it, or —
 * for a worker's `.ts` source entry, which only runs from source — the Electron main process
 * must hand the engine the bundled worker instead (`…worker?modulePath`). A worker started
 * from a missing entry fails only when the feature is first used, on the user's machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const OUT = path.resolve('out/main');

function bundles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));
}

test('every file the main-process bundles open by URL ships beside them, or is replaced by a bundled worker', () => {
  const main = fs.readFileSync(path.resolve('main/index.ts'), 'utf8');
  const problems: string[] = [];
  let checked = 0;
  for (const file of bundles(OUT)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/new URL\("(\.\/[^"]+)", import\.meta\.url\)/g)) {
      const target = m[1]!;
      checked++;
      // The tsx boot file is only used for .ts entries, which the next rule rules out in Electron.
      if (target === './ts-worker-boot.mjs') continue;
      if (target.endsWith('.ts')) {
        const worker = path.basename(target, '.ts');
        if (!main.includes(`${worker}?modulePath`)) problems.push(`${path.relative(OUT, file)}: ${target} is not replaced by a bundled worker in main/index.ts`);
      } else if (!fs.existsSync(path.resolve(path.dirname(file), target))) {
        problems.push(`${path.relative(OUT, file)}: ${target} is not in the build output`);
      }
    }
  }
  expect(checked).toBeGreaterThan(5);
  expect(problems).toEqual([]);
});
