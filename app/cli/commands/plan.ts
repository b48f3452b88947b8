import fs from 'node:fs/promises';
import path from 'node:path';
import { planAcquisition, DEFAULT_ASSUMPTIONS } from '../../collector/planner';
import { describeProblems } from '../../shared/contract';
import { validateConfig } from '../../workspace/config-store';
import { CliError, parseCli } from '../cli-error';

/** parx plan CONFIG|WORKSPACE [--rtt MS] [--json] — requests, predicted cycle and load per (connection, timebase). */
export async function runPlan(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, { rtt: { type: 'string' }, json: { type: 'boolean' } }, true);
  const [target] = positionals;
  if (!target) throw new CliError('usage: parx plan CONFIG.json|WORKSPACE_DIR [--rtt MS] [--json]');
  const file = (await fs.stat(target).catch(() => null))?.isDirectory() ? path.join(target, 'config.json') : target;
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`, 1);
  }
  const v = validateConfig(json);
  if (!v.ok) throw new CliError(`${file} is invalid: ${describeProblems(v.problems)}`, 1);
  const rtt = values.rtt === undefined ? DEFAULT_ASSUMPTIONS.requestRttMs : Number(values.rtt);
  if (!Number.isFinite(rtt) || rtt <= 0) throw new CliError(`--rtt must be a positive number of milliseconds, not "${values.rtt}"`);
  const plans = planAcquisition(v.config, { ...DEFAULT_ASSUMPTIONS, requestRttMs: rtt });
  if (values.json) {
    for (const p of plans) process.stdout.write(`${JSON.stringify(p)}\n`);
  } else {
    process.stdout.write(`Assuming ${rtt} ms per request round trip and a ${DEFAULT_ASSUMPTIONS.linkBitsPerSecond / 1e6} Mbit/s link.\n`);
    process.stdout.write(`${'connection'.padEnd(20)} ${'timebase'.padStart(9)} ${'signals'.padStart(7)} ${'requests'.padStart(8)} ${'cycle'.padStart(9)} ${'load'.padStart(6)}  verdict\n`);
    for (const p of plans) {
      const cycle = p.verdict === 'push' || p.verdict === 'invalid' ? '—' : `${p.predictedCycleMs.toFixed(1)} ms`;
      const load = p.verdict === 'push' || p.verdict === 'invalid' ? '—' : `${Math.round(p.load * 100)}%`;
      process.stdout.write(`${p.connection.padEnd(20)} ${`${p.timebaseMs} ms`.padStart(9)} ${String(p.signals).padStart(7)} ${String(p.requests).padStart(8)} ${cycle.padStart(9)} ${load.padStart(6)}  ${p.verdict}${p.note ? ` (${p.note})` : ''}\n`);
      for (const r of p.requestList) process.stdout.write(`${''.padEnd(22)}${r}\n`);
    }
    const over = plans.filter((p) => p.verdict === 'overrun');
    if (over.length) process.stdout.write(`\n${over.length} group(s) cannot keep up with their timebase: widen the timebase, move signals closer together, or split the connection.\n`);
  }
  return 0;
}
