/** New widgets from the palette or a dropped signal, with sizes that suit them. Pure. */
import type { Widget, WidgetType } from '../../../app/shared/dashboards/schema';
import { GRID_COLUMNS } from '../../../app/shared/dashboards/schema';

export const PALETTE: { type: WidgetType; label: string; style?: 'bar' }[] = [
  { type: 'value', label: 'Value' },
  { type: 'trend', label: 'Trend' },
  { type: 'gauge', label: 'Gauge' },
  { type: 'gauge', label: 'Bar', style: 'bar' },
  { type: 'alarms', label: 'Alarm log' },
  { type: 'markdown', label: 'Text' },
  { type: 'image', label: 'Image' },
];

export const SIZES: Record<WidgetType, { w: number; h: number }> = {
  value: { w: 3, h: 2 },
  trend: { w: 6, h: 5 },
  gauge: { w: 3, h: 4 },
  alarms: { w: 6, h: 4 },
  markdown: { w: 3, h: 3 },
  image: { w: 4, h: 5 },
};

let seq = 0;
export function widgetId(): string {
  seq += 1;
  return `w${Date.now().toString(36)}${seq.toString(36)}`;
}

const NO_LIMITS = { loLo: null, lo: null, hi: null, hiHi: null };

/** A widget of `type` at (x, y), reading `signal` when one was dropped (or the first signal there is). */
export function newWidget(type: WidgetType, at: { x: number; y: number }, signal: string, style?: 'bar'): Widget {
  const size = SIZES[type];
  const place = { id: widgetId(), x: Math.min(at.x, GRID_COLUMNS - size.w), y: at.y, w: size.w, h: style === 'bar' ? 2 : size.h, title: '' };
  switch (type) {
    case 'value':
      return { ...place, type, signal, decimals: 1, limits: NO_LIMITS, sparkline: true };
    case 'trend':
      return { ...place, type, signals: signal ? [signal] : [], windowS: 60 };
    case 'gauge':
      return { ...place, type, signal, style: style ?? 'gauge', min: 0, max: 100, decimals: 1, limits: NO_LIMITS };
    case 'alarms':
      return { ...place, type, states: ['active', 'acknowledged', 'cleared'], minPriority: 1 };
    case 'markdown':
      return { ...place, type, text: signal ? `**${signal}:** {{${signal}}}` : '### Notes\nLive values inline: {{Line Speed}}' };
    case 'image':
      return { ...place, type, image: '', labels: [] };
  }
}

/** What a signal dropped onto an existing widget does: added to a trend, the reading of a card, a label on an image. */
export function dropSignalOn(w: Widget, signal: string, at?: { x: number; y: number }): Widget {
  switch (w.type) {
    case 'trend':
      return w.signals.includes(signal) || w.signals.length >= 8 ? w : { ...w, signals: [...w.signals, signal] };
    case 'value':
    case 'gauge':
      return { ...w, signal };
    case 'image':
      return { ...w, labels: [...w.labels, { signal, x: at?.x ?? 0.5, y: at?.y ?? 0.5, decimals: 1 }] };
    case 'markdown':
      return { ...w, text: `${w.text}\n\n**${signal}:** {{${signal}}}` };
    case 'alarms':
      return w;
  }
}

export function duplicateWidget(w: Widget, all: readonly Widget[]): Widget {
  const bottom = all.reduce((m, x) => Math.max(m, x.y + x.h), 0);
  return { ...structuredClone(w), id: widgetId(), y: bottom };
}

/** A gauge range around a present value: 0 … a round number about a quarter above it (or below, for negatives). */
export function gaugeRange(v: number): { min: number; max: number } {
  const a = Math.abs(v) * 1.25;
  if (a === 0) return { min: 0, max: 100 };
  const step = 10 ** Math.floor(Math.log10(a));
  const edge = Math.ceil(a / step) * step;
  return v >= 0 ? { min: 0, max: edge } : { min: -edge, max: 0 };
}
