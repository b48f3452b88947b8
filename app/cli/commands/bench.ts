/**
 * `parx bench [NAME…]`: runs bench/*.bench.ts and prints one JSON object per line.
 * Every figure comes with a baseline measured in the same run, because this machine's
 * speed is not a constant.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../paths';
import { CliError, parseCli } from '../cli-error';

export async function runBench(args: string[]): Promise<number> {
  const { positionals } = parseCli(args, {}, true);
  const dir = path.join(PACKAGE_ROOT, 'bench');
  const all = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort() : [];
  const chosen = positionals.length ? all.filter((f) => positionals.some((p) => f.startsWith(p))) : all;
  if (chosen.length === 0) throw new CliError(`no benchmark matches ${positionals.join(', ') || '(none in bench/)'}; available: ${all.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  for (const file of chosen) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: (emit: (row: Record<string, unknown>) => void) => Promise<void> };
    await mod.default((row) => process.stdout.write(`${JSON.stringify({ suite: file.replace('.bench.ts', ''), ...row })}\n`));
  }
  return 0;
}
