/** A value card: the newest value with unit, coloured by its limits, greyed when stale or bad, with an optional sparkline. */
import { useEffect, useRef } from 'react';
import type { WidgetOf } from '../../../../app/shared/dashboards/schema';
import { useDash, useEvery, useLive } from '../dash-context';
import { formatNumber, limitLevel } from '../format';
import { usePrefs } from '../prefs';
import { latestOf, useKnownSignals, useSignalInfo } from './common';

export const VALUE_RATE = 5;
const SPARK_MS = 60_000;
const SPARK_COLOR = '#4fc3f7';

/** Draws [t, v, …] into the canvas; sizes come from a ResizeObserver, so drawing never forces a layout. */
function drawSparkline(canvas: HTMLCanvasElement, w: number, h: number, xy: Float64Array, from: number, to: number): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx || w === 0 || h === 0) return;
  ctx.clearRect(0, 0, w, h);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 1; i < xy.length; i += 2) {
    const v = xy[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) return;
  const span = hi - lo || 1;
  ctx.strokeStyle = SPARK_COLOR;
  ctx.lineWidth = 1;
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xy.length; i += 2) {
    const v = xy[i + 1] as number;
    if (Number.isNaN(v)) {
      pen = false;
      continue;
    }
    const x = (((xy[i] as number) - from) / (to - from)) * w;
    const y = h - 1 - ((v - lo) / span) * (h - 2);
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
  }
  ctx.stroke();
}

export function ValueCard({ widget }: { widget: WidgetOf<'value'> }): React.JSX.Element {
  const { subs } = useDash();
  const info = useSignalInfo(widget.signal);
  const { known } = useKnownSignals([widget.signal]);
  useLive(known, VALUE_RATE);
  const numberFormat = usePrefs((s) => s.prefs.numberFormat);
  const valueEl = useRef<HTMLSpanElement>(null);
  const card = useRef<HTMLDivElement>(null);
  const spark = useRef<HTMLCanvasElement>(null);

  const sparkSize = useRef({ w: 0, h: 0 });
  const xy = useRef<Float64Array>(new Float64Array(0));
  const drawnTs = useRef(0);
  useEffect(() => {
    const c = spark.current;
    if (!c) return;
    const ro = new ResizeObserver((entries) => {
      const r = entries[0]?.contentRect;
      if (r) sparkSize.current = { w: Math.round(r.width), h: Math.round(r.height) };
      drawnTs.current = 0;
    });
    ro.observe(c);
    return () => ro.disconnect();
  }, [widget.sparkline]);

  // Writes only, and only what changed: no reads of layout or style in the redraw.
  useEvery(1000 / VALUE_RATE, () => {
    const el = valueEl.current;
    const box = card.current;
    if (!el || !box) return;
    const s = latestOf(subs.data, widget.signal, info?.timebaseMs);
    const text = formatNumber(s.value, widget.decimals, numberFormat);
    if (el.textContent !== text) el.textContent = text;
    const level = Number.isFinite(s.value) ? limitLevel(s.value, widget.limits) : 'normal';
    if (box.dataset.level !== level) box.dataset.level = level;
    if (box.dataset.quality !== s.quality) box.dataset.quality = s.quality;
    if (widget.sparkline && spark.current && s.ts !== drawnTs.current) {
      drawnTs.current = s.ts;
      const to = subs.data.engineNow();
      const trace = subs.data.trace(widget.signal);
      if (trace) xy.current = trace.toXY(to - SPARK_MS, xy.current);
      drawSparkline(spark.current, sparkSize.current.w, sparkSize.current.h, xy.current, to - SPARK_MS, to);
    }
  });

  return (
    <div className="w-value" ref={card} data-testid="value-card" data-signal={widget.signal} data-quality="none" data-level="normal">
      <div className="w-value-name">{widget.title || widget.signal}</div>
      <div className="w-value-line">
        <span className="w-value-number" data-testid="value" ref={valueEl}>
          —
        </span>
        <span className="w-value-unit">{info?.unit ?? ''}</span>
      </div>
      {!info ? <div className="w-problem">no signal named “{widget.signal}”</div> : null}
      {widget.sparkline ? <canvas className="w-spark" ref={spark} /> : null}
    </div>
  );
}
