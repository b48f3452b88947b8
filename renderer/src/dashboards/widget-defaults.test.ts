import { describe, expect, it } from 'vitest';
import { WidgetSchema, WIDGET_TYPES } from '../../../app/shared/dashboards/schema';
import { dropSignalOn, duplicateWidget, gaugeRange, newWidget } from './widget-defaults';

describe('new widgets', () => {
  it('every palette type makes a widget the schema accepts, inside the grid', () => {
    for (const type of WIDGET_TYPES) {
      const w = newWidget(type, { x: 11, y: 3 }, 'Line Speed');
      expect(WidgetSchema.safeParse(w).success, type).toBe(true);
      expect(w.x + w.w).toBeLessThanOrEqual(12);
    }
  });
  it('a dropped signal joins a trend once, becomes a label where it was dropped on an image', () => {
    const t = newWidget('trend', { x: 0, y: 0 }, 'A');
    expect(dropSignalOn(dropSignalOn(t, 'B'), 'B')).toMatchObject({ signals: ['A', 'B'] });
    const img = dropSignalOn(newWidget('image', { x: 0, y: 0 }, ''), 'A', { x: 0.25, y: 0.75 });
    expect(img).toMatchObject({ labels: [{ signal: 'A', x: 0.25, y: 0.75 }] });
  });
  it('a duplicate gets its own id and goes below everything', () => {
    const a = newWidget('value', { x: 0, y: 0 }, 'A');
    const b = newWidget('trend', { x: 2, y: 0 }, 'A');
    const d = duplicateWidget(a, [a, b]);
    expect(d.id).not.toBe(a.id);
    expect(d.y).toBe(b.h);
  });
});

describe('gaugeRange', () => {
  it('fits the present value with room above it', () => {
    expect(gaugeRange(600)).toEqual({ min: 0, max: 800 });
    expect(gaugeRange(51.6)).toEqual({ min: 0, max: 70 });
    expect(gaugeRange(-3)).toEqual({ min: -4, max: 0 });
    expect(gaugeRange(0)).toEqual({ min: 0, max: 100 });
  });
});
