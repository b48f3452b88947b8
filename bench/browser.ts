/**
 * Headless Chromium for the browser benchmarks: the launch every one of them uses, the CDP
 * Performance metrics of a page, and the resident memory of the renderer processes that this
 * process's Chromium started (read from /proc, so Linux only; elsewhere empty).
 */
import fs from 'node:fs/promises';
import { chromium, type Browser, type CDPSession } from 'playwright-core';

export const CHROMIUM = process.env.PARX_CHROMIUM ?? '/usr/bin/chromium';

/** Timers and rendering are not throttled: a headless page measures like a visible one. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'] });
}

/** CDP Performance metrics by name (JSHeapUsedSize, TaskDuration, Nodes…); Performance.enable must have been sent. */
export async function cdpMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
}

export interface ChromiumMemory {
  /** VmRSS of each renderer process (--type=renderer), largest first. */
  renderersMB: number[];
  /** VmRSS of every Chromium process below this one (browser, zygotes, GPU, network, renderers). */
  totalMB: number;
}

async function readProc(pid: string, file: string): Promise<string | null> {
  try {
    return await fs.readFile(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null; // gone meanwhile, or not Linux
  }
}

/** Chromium processes descended from this one (the browser Playwright launched and all it started), with their memory. */
export async function chromiumMemory(): Promise<ChromiumMemory> {
  const pids = (await fs.readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p));
  const parent = new Map<string, string>();
  for (const pid of pids) {
    const stat = await readProc(pid, 'stat');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields?.[1]) parent.set(pid, fields[1]);
  }
  const mine = (pid: string): boolean => {
    for (let p = parent.get(pid), depth = 0; p && depth < 20; p = parent.get(p), depth++) if (p === String(process.pid)) return true;
    return false;
  };
  const renderersMB: number[] = [];
  let totalMB = 0;
  for (const pid of pids) {
    const cmdline = await readProc(pid, 'cmdline');
    if (!mine(pid) || !cmdline?.includes('chrom')) continue;
    const status = await readProc(pid, 'status');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status ?? '')?.[1] ?? 0);
    if (!kb) continue;
    const mb = Math.round((kb / 1024) * 10) / 10;
    totalMB += mb;
    if (cmdline.includes('--type=renderer')) renderersMB.push(mb);
  }
  return { renderersMB: renderersMB.sort((a, b) => b - a), totalMB: Math.round(totalMB) };
}
