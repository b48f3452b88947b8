/**
 * The analysis trend in the browser over the ≥ 100 M-sample dataset of analysis.bench.ts
 * (1,000 signals × 100,000 samples in 10 batch files, cached in /tmp): an in-process engine in
 * browser mode with the folder open, headless Chromium, 8 signals dragged onto the trend, all
 * batches on one time axis. Then the zoom round-trip: from the wheel event over the chart (or
 * the click on "↶ zoom" / "all") until the chart has been redrawn with the data fetched for the
 * new range and a frame has gone by — for 10 wheel zooms in, 3 undos and back to all, repeated.
 * Baseline in the same run: the same analysis.query calls straight to the same engine (no
 * WebSocket, no page), so the transport and drawing overhead shows. Then the renderer's memory:
 * JS heap (CDP) and the RSS of its process (/proc), before and after the zooms, and the engine's.
 * Once without pyramids, once with them (sidecars kept beside the dataset in /tmp).
 * Then a fast zoom: wheel notches in then out, FAST_GAP_MS apart (past the pane's 60 ms debounce,
 * so each sends a query) without waiting for a redraw, timed from the last notch to the redraw of
 * the last range: queries of the pane still queued in the worker are dropped (`view`), so the
 * last range does not wait behind stale ones. Compare with a renderer built before that change.
 * Quick run: PARX_BENCH_ANALYSIS_SIGNALS=100; PARX_BENCH_ZOOM_CYCLES sets the repeats (default 3);
 * PARX_BENCH_TRACE=1 prints every step on stderr.
 * Needs a built renderer (PARX_RENDERER_DIR, else out/renderer) and Chromium at /usr/bin/chromium.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../app/engine/engine';
import { serve } from '../app/server/serve';
import { analysisOf } from '../app/analysis/engine-analysis';
import { RENDERER_DIR } from '../app/cli/paths';
import { tempDir } from '../app/testing/helpers';
import { dataset, name } from './analysis.bench';
import { cdpMetrics, chromiumMemory, launchChromium } from './browser';

type Emit = (row: Record<string, unknown>) => void;

const SIGNALS = Number(process.env.PARX_BENCH_ANALYSIS_SIGNALS ?? 1000);
const STEP_MS = 10; // the dataset's timebase
const CYCLES = Number(process.env.PARX_BENCH_ZOOM_CYCLES ?? 3);
const ZOOMS_IN = 10;
/** Wheel notches per zoom-in step: one notch zooms echarts by only ~10 %, a user turns the wheel a few at a time. */
const NOTCHES = 5;
const UNDOS = 3;
/** Fast zoom: notches (half in, half out) and the time between them. */
const FAST_NOTCHES = 12;
const FAST_GAP_MS = 80;
/** Signals on the trend, as in the issue's trend query. */
const TRACE = 8;

type StepKind = 'zoom-in' | 'zoom-undo' | 'zoom-all';

/** What the page measured for one step (performance.now() differences, ms). */
interface Step {
  kind: StepKind;
  level: number;
  /** Input event → the redraw with the new data has been followed by a frame. */
  total: number;
  /** Input event → the chart's attributes were written by that redraw. */
  drawn: number;
  /** Input event → the analysis.query left on the WebSocket (echarts' dataZoom + the pane's 60 ms debounce). */
  toQuery: number;
  /** Query sent → its reply received (the last frame of ≥ 16 KB before the redraw: 8 series of trend points). */
  wire: number | null;
  /** That frame → the redraw (the pane's annotation and alarm look-ups, React, echarts setOption). */
  afterReply: number | null;
  /** The last frame received before the redraw → the redraw (React + echarts setOption, no waiting on the engine). */
  draw: number | null;
  /** The redraw → the next animation frame. */
  paint: number;
  from: number;
  to: number;
  pixels: number;
  signals: string[];
  points: number;
  /** analysis.query calls sent for this step (1 when the debounce held). */
  queries: number;
}

/**
 * Installed before the page's own scripts: input events, the analysis.query requests sent,
 * every frame received, and every chart redraw (the pane writes data-series on each).
 * A string, not a function: tsx would wrap named inner functions in a helper the page does not have.
 */
const INSTRUMENT = `(() => {
  const ab = { inputs: [], queries: [], msgs: [], redraws: [] };
  window.__ab = ab;
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"analysis.query"')) {
      try {
        const m = JSON.parse(data);
        ab.queries.push({ t: performance.now(), from: m.params.from, to: m.params.to, pixels: m.params.pixels, signals: m.params.signals });
      } catch (e) { /* not ours */ }
    }
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => ab.msgs.push({ t: performance.now(), bytes: e.data && e.data.byteLength !== undefined ? e.data.byteLength : 0 }));
    }
  };
  addEventListener('wheel', () => ab.inputs.push(performance.now()), { capture: true, passive: true });
  addEventListener('click', () => ab.inputs.push(performance.now()), { capture: true });
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (el.dataset.testid !== 'analysis-chart') continue;
      const rec = { t: performance.now(), from: Number(el.dataset.from), to: Number(el.dataset.to), points: Number(el.dataset.points), series: Number(el.dataset.series), painted: null };
      ab.redraws.push(rec);
      requestAnimationFrame(() => { rec.painted = performance.now(); });
    }
  }).observe(document, { attributes: true, attributeFilter: ['data-series'], subtree: true });
})()`;

interface PageLog {
  inputs: number[];
  queries: { t: number; from: number; to: number; pixels: number; signals: string[] }[];
  msgs: { t: number; bytes: number }[];
  redraws: { t: number; from: number; to: number; points: number; series: number; painted: number | null }[];
}

/**
 * Done when: an input came, a query for a new range left after it, and a redraw after that
 * query shows that range and has been painted. Runs in the page (the page's CSP forbids string
 * eval there); no named inner functions, which tsx would wrap in a helper the page lacks.
 */
function stepDone({ b, REPLY_BYTES }: { b: { i: number; q: number; r: number }; REPLY_BYTES: number }): Omit<Step, 'kind' | 'level'> | null {
  const ab = (window as unknown as { __ab: PageLog }).__ab;
  if (ab.inputs.length <= b.i) return null;
  const qs = ab.queries.filter((x, k) => k >= b.q && x.t >= ab.inputs[b.i]!);
  const q = qs[qs.length - 1];
  if (!q) return null;
  // The last input before that query: a burst of wheel notches is timed from its last notch.
  const input = ab.inputs.filter((t, k) => k >= b.i && t <= q.t).pop()!;
  const r = ab.redraws.find((x, k) => k >= b.r && x.t > q.t && x.from === q.from && x.to === q.to);
  if (!r || r.painted === null) return null;
  // The query's reply: the last big frame before the redraw (superseded queries' replies come before it, the pane's small look-ups after).
  const reply = ab.msgs.filter((m) => m.t > q.t && m.t < r.t && m.bytes >= REPLY_BYTES).pop()?.t;
  const last = ab.msgs.filter((m) => m.t < r.t).pop()?.t;
  return { total: r.painted - input, drawn: r.t - input, toQuery: q.t - input, wire: reply === undefined ? null : reply - q.t, afterReply: reply === undefined ? null : r.t - reply, draw: last === undefined ? null : r.t - last, paint: r.painted - r.t, from: q.from, to: q.to, pixels: q.pixels, signals: q.signals, points: r.points, queries: qs.length };
}

function drawnWith(n: number): boolean {
  return (window as unknown as { __ab: PageLog }).__ab.redraws.some((r) => r.series === n && r.points > 0 && r.painted !== null);
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10 : NaN;
};
const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;

async function step(page: Page, kind: StepKind, level: number, act: () => Promise<void>): Promise<Step> {
  const before = (await page.evaluate('({ i: window.__ab.inputs.length, q: window.__ab.queries.length, r: window.__ab.redraws.length })')) as { i: number; q: number; r: number };
  await act();
  const handle = await page.waitForFunction(stepDone, { b: before, REPLY_BYTES: 16_384 }, { timeout: 60_000, polling: 'raf' });
  const s = (await handle.jsonValue()) as Omit<Step, 'kind' | 'level'>;
  // Quiet before the next input, so a late second query (a broken debounce) would be counted, not overlapped.
  await page.waitForTimeout(150);
  const queries = (await page.evaluate(`window.__ab.queries.filter((q, k) => k >= ${before.q}).length`)) as number;
  return { ...s, kind, level, queries };
}

async function measureMode(browser: Browser, dir: string, pyramid: boolean, sidecars: string, out: Emit): Promise<void> {
  const emit: Emit = (row) => out({ ...row, pyramid, signals: SIGNALS, samples: SIGNALS * 100_000, load1: Math.round(os.loadavg()[0]! * 10) / 10 });
  // The worker takes its sidecar folder from the environment when the engine's analysis side is made.
  process.env.PARX_ANALYSIS_PYRAMIDS = pyramid ? sidecars : 'off';
  const workspace = await tempDir('parx-bench-ab-');
  const engine = await Engine.start({ workspace, mode: 'browser', buffer: false });
  const analysis = analysisOf(engine);
  const session = engine.connect({ emit: () => undefined, busy: () => false });
  const o0 = performance.now();
  const opened = await analysis.open(dir);
  if (!opened.ok) throw new Error(opened.error.message);
  const openMs = Math.round(performance.now() - o0);
  let pyramidRow: Record<string, unknown> = {};
  if (pyramid) {
    // Built in the background after open; the trends are measured once they are ready.
    const p0 = performance.now();
    const p = await analysis.host.request({ type: 'pyramids' });
    if (!p.ok) throw new Error(p.error.message);
    pyramidRow = { pyramidsReadyMs: Math.round(performance.now() - p0), pyramidsBuilt: p.value.built, pyramidsLoaded: p.value.loaded, pyramidsFailed: p.value.failed };
  }
  const server = await serve(engine, { port: 0, rendererDir: RENDERER_DIR });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  try {
    await page.addInitScript(INSTRUMENT);
    const g0 = performance.now();
    await page.goto(server.url);
    await page.locator('[data-testid=batch-list] tbody tr').first().waitFor({ timeout: 60_000 });
    const batchListMs = Math.round(performance.now() - g0);
    // Every batch on one time axis: the whole 100,000 samples of each signal in the first view.
    await page.getByTestId('analysis-browser').getByRole('button', { name: 'all', exact: true }).click();
    await page.getByTestId('trend-coil').filter({ hasText: 'all batches' }).waitFor();
    emit({ case: 'browser-open', engineOpenMs: openMs, pageToBatchListMs: batchListMs, batches: opened.value.batches.length, ...pyramidRow });

    const memory = async (phase: string): Promise<void> => {
      await page.waitForTimeout(500);
      const m = await cdpMetrics(cdp);
      const chrome = await chromiumMemory();
      const worker = await analysis.host.request({ type: 'memory' });
      emit({
        case: 'browser-memory',
        phase,
        jsHeapUsedMB: mb(m.JSHeapUsedSize ?? NaN),
        jsHeapTotalMB: mb(m.JSHeapTotalSize ?? NaN),
        rendererRssMB: chrome.renderersMB[0] ?? null,
        renderers: chrome.renderersMB.length,
        chromiumTotalRssMB: chrome.totalMB,
        engineRssMB: mb(process.memoryUsage().rss),
        columnCacheMB: worker.ok ? mb(worker.value.cacheBytes) : null,
        domNodes: m.Nodes,
        aim: 'renderer RSS <= 500 MB',
        note: 'rendererRssMB: the largest --type=renderer process (the page); engineRssMB: this process (engine, server, analysis worker thread)',
      });
    };
    // Baseline: the same page with the folder open and an empty trend.
    await memory('opened-no-signals');

    const signals = Array.from({ length: TRACE }, (_, j) => name((j * 37) % SIGNALS));
    const d0 = performance.now();
    for (const s of signals) {
      await page.getByTestId('signal-search').fill(s);
      await page.locator(`[data-testid=analysis-signal][data-signal="${s}"]`).dragTo(page.getByTestId('trend-drop'));
    }
    const dropsMs = performance.now() - d0;
    await page.getByTestId('signal-search').fill('');
    await page.waitForFunction(drawnWith, TRACE, { timeout: 60_000, polling: 'raf' });
    emit({ case: 'browser-first-trend-8-signals', drawnMs: Math.round(performance.now() - d0), dragsMs: Math.round(dropsMs), note: 'from the first drag until all 8 are drawn over the full range; includes the 8 scripted drags (dragsMs)' });

    await memory('8-signals-drawn');

    const chart = page.getByTestId('analysis-chart');
    const box = (await chart.boundingBox())!;
    const toolbar = page.getByTestId('trend-drop');
    const steps: Step[] = [];
    for (let c = 0; c < CYCLES; c++) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
      for (let z = 1; z <= ZOOMS_IN; z++)
        steps.push(
          await step(page, 'zoom-in', z, async () => {
            for (let n = 0; n < NOTCHES; n++) await page.mouse.wheel(0, -300);
          }),
        );
      for (let u = 1; u <= UNDOS; u++) steps.push(await step(page, 'zoom-undo', u, () => toolbar.getByTestId('zoom-undo').click()));
      steps.push(await step(page, 'zoom-all', 0, () => toolbar.getByRole('button', { name: 'all', exact: true }).click()));
    }

    // PARX_BENCH_TRACE=1: every step on stderr, to see where a slow one spent its time.
    if (process.env.PARX_BENCH_TRACE === '1') for (const s of steps) process.stderr.write(`${JSON.stringify({ ...s, signals: s.signals.length })}\n`);
    // Baseline: the very same queries, straight to the same engine.
    const base = new Map<StepKind, number[]>();
    for (const s of steps) {
      const t = performance.now();
      const r = await session.call('analysis.query', { source: opened.value.id, signals: s.signals, from: s.from, to: s.to, pixels: s.pixels, axis: 'time' });
      if (!r.ok) throw new Error(r.error.message);
      base.set(s.kind, [...(base.get(s.kind) ?? []), performance.now() - t]);
    }
    for (const kind of ['zoom-in', 'zoom-undo', 'zoom-all'] as const) {
      const of = steps.filter((s) => s.kind === kind);
      const b = base.get(kind) ?? [];
      const wire = of.map((s) => s.wire).filter((w): w is number => w !== null);
      const afterReply = of.map((s) => s.afterReply).filter((w): w is number => w !== null);
      const draw = of.map((s) => s.draw).filter((w): w is number => w !== null);
      const levels = [...new Set(of.map((s) => s.level))].sort((x, y) => x - y);
      emit({
        case: `browser-${kind}-round-trip`,
        runs: of.length,
        p50Ms: pct(of.map((s) => s.total), 50),
        p95Ms: pct(of.map((s) => s.total), 95),
        toQueryP50Ms: pct(of.map((s) => s.toQuery), 50),
        wireP50Ms: pct(wire, 50),
        afterReplyP50Ms: pct(afterReply, 50),
        drawP50Ms: pct(draw, 50),
        paintP50Ms: pct(of.map((s) => s.paint), 50),
        baselineEngineQueryP50Ms: pct(b, 50),
        baselineEngineQueryP95Ms: pct(b, 95),
        pixels: of[0]?.pixels,
        pointsP50: pct(of.map((s) => s.points), 50),
        extraQueries: of.reduce((n, s) => n + s.queries - 1, 0),
        // Per step of a cycle (zoom-in: 1 = first burst; zoom-undo: 1 = first undo; zoom-all: 0): median round trip and samples per pixel column per signal.
        byLevel: levels.map((l) => {
          const at = of.filter((s) => s.level === l);
          return { level: l, p50Ms: pct(at.map((s) => s.total), 50), samplesPerPx: Math.round(((at[0]!.to - at[0]!.from) / STEP_MS / at[0]!.pixels) * 10) / 10 };
        }),
        aim: 'trend query <= 100 ms p50',
        note: `${kind === 'zoom-in' ? `${NOTCHES} wheel notches, timed from the last` : 'click'} in the page → chart redrawn with the new data + one frame. toQuery: echarts dataZoom throttle + the pane’s 60 ms debounce; wire: query sent → its reply in (the last frame of >= 16 KB before the redraw); afterReply: the pane’s annotation + alarm look-ups, React, echarts; draw: last frame in → redraw (React + echarts); extraQueries: superseded queries sent during bursts; baseline: the same analysis.query calls on the same engine without page or WebSocket`,
      });
    }

    // Fast zoom (see the header): from the full range, notches in then out without waiting.
    const fast: { total: number; queries: number; fullReplies: number }[] = [];
    for (let c = 0; c < CYCLES; c++) {
      await toolbar.getByRole('button', { name: 'all', exact: true }).click();
      await page.waitForTimeout(1500);
      await page.mouse.move(box.x + box.width * (0.3 + 0.1 * c), box.y + box.height * 0.4);
      const before = (await page.evaluate('({ i: window.__ab.inputs.length, q: window.__ab.queries.length, r: window.__ab.redraws.length, m: window.__ab.msgs.length })')) as { i: number; q: number; r: number; m: number };
      for (let n = 0; n < FAST_NOTCHES; n++) {
        await page.mouse.wheel(0, n < FAST_NOTCHES / 2 ? -300 : 300);
        await page.waitForTimeout(FAST_GAP_MS);
      }
      // The last query has left (debounce) before the wait starts, so only its redraw can end it.
      await page.waitForTimeout(150);
      const handle = await page.waitForFunction(stepDone, { b: before, REPLY_BYTES: 16_384 }, { timeout: 120_000, polling: 'raf' });
      const d = (await handle.jsonValue()) as Omit<Step, 'kind' | 'level'>;
      await page.waitForTimeout(300);
      const fullReplies = (await page.evaluate(`window.__ab.msgs.filter((m, k) => k >= ${before.m} && m.bytes >= 16384).length`)) as number;
      fast.push({ total: d.total, queries: d.queries, fullReplies });
    }
    emit({
      case: 'browser-fast-zoom',
      runs: fast.length,
      notches: FAST_NOTCHES,
      gapMs: FAST_GAP_MS,
      lastNotchToDrawnMsEach: fast.map((f) => Math.round(f.total)),
      p50Ms: pct(fast.map((f) => f.total), 50),
      queriesSentEach: fast.map((f) => f.queries),
      fullRepliesEach: fast.map((f) => f.fullReplies),
      note: 'wheel notches in then out, gapMs apart, no wait for redraws: last notch → the last range drawn + one frame; fullReplies: replies carrying trend data (the others were superseded in the worker)',
    });
    await memory('after-zooms');
  } catch (e) {
    // What the page looked like and logged, for whoever reads the failure.
    const shot = path.join(os.tmpdir(), `parx-bench-analysis-browser-${pyramid ? 'pyramid' : 'raw'}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    const log = await page.evaluate('JSON.stringify({ inputs: __ab.inputs.length, queries: __ab.queries.slice(-3), msgs: __ab.msgs.length, redraws: __ab.redraws.slice(-3) })').catch(() => 'no page log');
    throw new Error(`${(e as Error).message}\nscreenshot: ${shot}\npage log: ${String(log)}`);
  } finally {
    await page.close();
    await server.close();
    session.dispose();
    await engine.stop();
    await analysis.host.stop();
    await fs.rm(workspace, { recursive: true, force: true });
  }
}

export default async function run(emit: Emit): Promise<void> {
  try {
    await fs.access(path.join(RENDERER_DIR, 'index.html'));
  } catch {
    emit({ case: 'browser-open', error: `no built renderer in ${RENDERER_DIR}: run \`npx electron-vite build\` (or set PARX_RENDERER_DIR)` });
    return;
  }
  const g0 = performance.now();
  const dir = await dataset();
  const genMs = Math.round(performance.now() - g0);
  emit({ case: 'dataset', dir, samples: SIGNALS * 100_000, signals: SIGNALS, buildMs: genMs, note: genMs > 1000 ? 'built now' : 'cached in /tmp' });
  // Sidecars kept beside the dataset (named by each file's path, mtime and size): built once, loaded after.
  const sidecars = `${dir}-pyramids`;
  const pyramidEnv = process.env.PARX_ANALYSIS_PYRAMIDS;
  try {
    for (const pyramid of [false, true]) {
      // A browser per mode: the renderer's memory is not carried over from the other.
      const browser = await launchChromium();
      try {
        await measureMode(browser, dir, pyramid, sidecars, emit);
      } finally {
        await browser.close();
      }
    }
  } finally {
    if (pyramidEnv === undefined) delete process.env.PARX_ANALYSIS_PYRAMIDS;
    else process.env.PARX_ANALYSIS_PYRAMIDS = pyramidEnv;
  }
}
