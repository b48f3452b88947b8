import fs from 'node:fs';
import { expect, it } from 'vitest';
import { PARX_VERSION } from './version';

it('the engine reports the package version', () => {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(PARX_VERSION).toBe(pkg.version);
});
