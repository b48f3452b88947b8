/**
 * A dashboard of 50 widgets on 200 signals updating at 10 Hz, in browser mode, in headless
 * Chromium: frames per second (requestAnimationFrame counted in the page), main-thread busy
 * share (CDP Performance TaskDuration over wall time) and long tasks, and renderer JS heap over
 * the run. Baseline: the same page, same engine and data, with an empty dashboard.
 * PARX_BENCH_MS sets the run per case (default 20 s); PARX_BENCH_LONG=1 runs 10 minutes each.
 * Needs a built renderer (PARX_RENDERER_DIR, else out/renderer) and Chromium at /usr/bin/chromium.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Engine } from '../app/engine/engine';
import { serve } from '../app/server/serve';
import { startDemoLine } from '../app/sim/demo-line';
import { CONFIG_VERSION, type WorkspaceConfig } from '../app/shared/contract';
import { DASHBOARD_VERSION, type Dashboard, type Widget } from '../app/shared/dashboards/schema';
import { RENDERER_DIR } from '../app/cli/paths';
import { tempDir } from '../app/testing/helpers';
import { launchChromium } from './browser';

type Emit = (row: Record<string, unknown>) => void;

const SIGNALS = 200;
const TIMEBASE_MS = 100;
const FIRST_REGISTER = 200;
const RUN_MS = process.env.PARX_BENCH_LONG === '1' ? 600_000 : Number(process.env.PARX_BENCH_MS ?? 20_000);
const HEAP_EVERY_MS = RUN_MS >= 120_000 ? 30_000 : 2_000;

function config(port: number): WorkspaceConfig {
  return {
    version: CONFIG_VERSION,
    connections: [{ name: 'PLC', protocol: 'modbus', host: '127.0.0.1', port, unitId: 1, timeoutMs: 1000, enabled: true }],
    signals: Array.from({ length: SIGNALS }, (_, i) => ({ name: `S${i}`, unit: 'u', description: '', connection: 'PLC', address: `hr:${FIRST_REGISTER + i}:uint16`, scale: 0.1, offset: 0, timebaseMs: TIMEBASE_MS })),
  } as WorkspaceConfig;
}

const NO_LIMITS = { loLo: null, lo: null, hi: null, hiHi: null };

/** 50 widgets: 36 value cards (half with sparklines), 6 trends of 4 signals, 4 gauges, 2 bars, 2 Markdown texts. */
export function benchDashboard(): Dashboard {
  const widgets: Widget[] = [];
  let k = 0;
  const place = (w: number, h: number) => {
    const x = (k * 3) % 12;
    const y = Math.floor((k * 3) / 12) * 2;
    k++;
    return { id: `w${widgets.length}`, x, y, w, h, title: '' };
  };
  for (let i = 0; i < 36; i++) widgets.push({ ...place(3, 2), type: 'value', signal: `S${i}`, decimals: 1, limits: { ...NO_LIMITS, hi: 5000 }, sparkline: i % 2 === 0 });
  for (let i = 0; i < 6; i++) widgets.push({ ...place(3, 2), h: 5, type: 'trend', signals: [0, 1, 2, 3].map((j) => `S${40 + i * 4 + j}`), windowS: 60 });
  for (let i = 0; i < 4; i++) widgets.push({ ...place(3, 2), h: 4, type: 'gauge', signal: `S${70 + i}`, style: 'gauge', min: 0, max: 6600, decimals: 0, limits: NO_LIMITS });
  for (let i = 0; i < 2; i++) widgets.push({ ...place(3, 2), type: 'gauge', signal: `S${80 + i}`, style: 'bar', min: 0, max: 6600, decimals: 0, limits: NO_LIMITS });
  for (let i = 0; i < 2; i++) widgets.push({ ...place(3, 2), h: 3, type: 'markdown', text: `**S90** {{S90}} · **S91** {{S91}}\n\n**S${92 + i}** {{S${92 + i}}}` });
  return { version: DASHBOARD_VERSION, name: 'Bench', widgets };
}

async function measure(browser: Browser, url: string, name: string, emit: Emit, extra: Record<string, unknown>, runMs = RUN_MS): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${url}&dashboard=${encodeURIComponent(name)}&view=1`);
  await page.waitForSelector('[data-testid=dashboard]');
  await page.waitForTimeout(5000); // subscriptions open, charts built, JIT warm
  // A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = 0; window.__long = 0; window.__longMs = 0;
    const tick = () => { window.__frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new PerformanceObserver((l) => { for (const e of l.getEntries()) { window.__long++; window.__longMs += e.duration; } }).observe({ type: 'longtask', buffered: false });
  })()`);
  const metric = async (): Promise<Record<string, number>> => {
    const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
  };
  const heap: number[] = [];
  const m0 = await metric();
  const t0 = Date.now();
  heap.push(m0.JSHeapUsedSize ?? NaN);
  while (Date.now() - t0 < runMs) {
    await page.waitForTimeout(Math.min(HEAP_EVERY_MS, runMs - (Date.now() - t0)));
    heap.push((await metric()).JSHeapUsedSize ?? NaN);
  }
  if (process.env.PARX_BENCH_PROFILE === '1') await profile(cdp);
  const m1 = await metric();
  const wallS = (Date.now() - t0) / 1000;
  const page1 = (await page.evaluate(`({
    frames: window.__frames, long: window.__long, longMs: window.__longMs,
    widgets: document.querySelectorAll('[data-testid=widget]').length,
    subs: window.parxDashboardLive ? window.parxDashboardLive().subscriptions : 0,
  })`)) as { frames: number; long: number; longMs: number; widgets: number; subs: number };
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
  // Heap trend: least-squares slope over the samples after the first quarter (GC settles).
  const tail = heap.slice(Math.floor(heap.length / 4));
  const n = tail.length;
  const xs = tail.map((_, i) => (i * HEAP_EVERY_MS) / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = tail.reduce((a, b) => a + b, 0) / n;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * ((tail[i] as number) - my), 0) / Math.max(1e-9, xs.reduce((a, x) => a + (x - mx) ** 2, 0));
  emit({
    ...extra,
    widgets: page1.widgets,
    dashboardSubscriptions: Number(page1.subs ?? 0),
    runS: Math.round(wallS),
    fps: Math.round((page1.frames / wallS) * 10) / 10,
    busyShare: Math.round((((m1.TaskDuration ?? 0) - (m0.TaskDuration ?? 0)) / wallS) * 1000) / 1000,
    scriptShare: Math.round((((m1.ScriptDuration ?? 0) - (m0.ScriptDuration ?? 0)) / wallS) * 1000) / 1000,
    longTasks: page1.long,
    longTaskMs: Math.round(page1.longMs),
    heapStartMB: mb(heap[0] as number),
    heapEndMB: mb(heap[heap.length - 1] as number),
    heapMaxMB: mb(Math.max(...heap)),
    heapSlopeMBPerMin: Math.round((slope / 1048576) * 100) / 100,
    domNodes: m1.Nodes,
  });
  await page.close();
}

/** PARX_BENCH_PROFILE=1: where the page's main thread spends its time (5 s CPU profile, top self time on stderr). */
async function profile(cdp: { send(method: string, params?: object): Promise<unknown> }): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  await new Promise((r) => setTimeout(r, 5000));
  const { profile: p } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byName = new Map<string, number>();
  for (const n of p.nodes) {
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
    byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [k, us] of top) process.stderr.write(`${(us / 1000).toFixed(0).padStart(6)} ms  ${k}\n`);
}

export default async function run(emit: Emit): Promise<void> {
  const rendererDir = RENDERER_DIR;
  try {
    await fs.access(path.join(rendererDir, 'index.html'));
  } catch {
    emit({ case: 'dashboard-50-widgets', error: `no built renderer in ${rendererDir}: run \`npx electron-vite build\` (or set PARX_RENDERER_DIR)` });
    return;
  }
  const line = await startDemoLine({ seed: 1 });
  line.freeze();
  // Every register changes every cycle, so every widget has something new to draw.
  let phase = 0;
  const writer = setInterval(() => {
    phase++;
    for (let i = 0; i < SIGNALS; i++) line.image.hr[FIRST_REGISTER + i] = Math.round(30000 + 25000 * Math.sin(phase / 20 + i));
  }, TIMEBASE_MS / 2);
  const workspace = await tempDir('parx-bench-dash-');
  const engine = await Engine.start({ workspace, mode: 'browser', buffer: false });
  const admin = engine.connect({ emit: () => undefined, busy: () => false });
  await admin.call('config.save', { config: config(line.modbus.port) });
  await admin.call('dashboards.save', { dashboard: benchDashboard() });
  await admin.call('dashboards.save', { dashboard: { version: DASHBOARD_VERSION, name: 'Empty', widgets: [] } });
  const server = await serve(engine, { port: 0, rendererDir });
  const browser = await launchChromium();
  const common = { signals: SIGNALS, updateHz: 1000 / TIMEBASE_MS, samplesPerSec: (SIGNALS * 1000) / TIMEBASE_MS };
  try {
    // The empty page is the fps and heap baseline; a minute of it is enough even in the 10-minute run.
    await measure(browser, server.url, 'Empty', emit, { case: 'baseline-empty-dashboard', ...common }, Math.min(RUN_MS, 60_000));
    await measure(browser, server.url, 'Bench', emit, { case: 'dashboard-50-widgets', ...common, aim: '>= 30 fps, flat memory' });
  } finally {
    await browser.close();
    clearInterval(writer);
    await server.close();
    admin.dispose();
    await engine.stop();
    await line.stop();
  }
}
