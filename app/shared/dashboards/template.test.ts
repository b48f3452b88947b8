import { describe, expect, it } from 'vitest';
import { DashboardSchema } from './schema';
import { dashboardSignals, makeTemplate, readTemplate, remapSignals } from './template';

const signals = new Set(['Line Speed', 'Exit Tension']);
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

const good = {
  version: 1,
  name: 'Line',
  widgets: [
    { id: 'a', type: 'value', x: 0, y: 0, w: 3, h: 2, signal: 'Line Speed' },
    { id: 'b', type: 'trend', x: 3, y: 0, w: 6, h: 4, signals: ['Line Speed', 'Exit Tension'] },
    { id: 'c', type: 'markdown', x: 0, y: 2, w: 3, h: 2, text: 'Speed **{{Line Speed}}**' },
  ],
};

describe('readTemplate', () => {
  it('reads its own export back unchanged', () => {
    const d = DashboardSchema.parse(good);
    const r = readTemplate(JSON.parse(JSON.stringify(makeTemplate(d, { 'line.png': PNG }))), { signals });
    expect(r.problems).toEqual([]);
    expect(r.dashboard).toEqual(d);
    expect(r.images).toEqual({ 'line.png': PNG });
  });

  it('gives one message per bad item and loads the rest', () => {
    const raw = {
      format: 'parx-dashboard',
      version: 7,
      dashboard: {
        name: 'Bad',
        widgets: [
          { id: 'a', type: 'value', x: 0, y: 0, w: 3, h: 2, signal: 'Line Speed' },
          { id: 'b', type: 'radar', x: 0, y: 0, w: 3, h: 2 },
          { id: 'c', type: 'markdown', x: 0, y: 2, w: 3, h: 2, text: 'hi <script>alert(1)</script> there' },
          { id: 'd', type: 'image', x: 3, y: 2, w: 3, h: 3, image: 'schematic', labels: [{ signal: 'Gone Signal', x: 0.5, y: 0.5 }] },
          { id: 'e', type: 'gauge', x: 0, y: 4, w: 3, h: 3, signal: 'Exit Tension', min: 10, max: 5 },
        ],
      },
      images: { broken: 'data:text/html;base64,PHNjcmlwdD4=' },
    };
    const r = readTemplate(raw, { signals });
    const items = r.problems.map((p) => p.item);
    expect(items).toEqual(['version', 'image broken', 'widget 2 (radar)', 'widget 3 (markdown)', 'widget 4 (image)', 'widget 5 (gauge)', 'signal Gone Signal']);
    expect(r.problems.find((p) => p.item === 'widget 2 (radar)')?.message).toMatch(/unknown widget type "radar"/);
    expect(r.problems.find((p) => p.item === 'widget 3 (markdown)')?.message).toMatch(/<script>/);
    expect(r.problems.find((p) => p.item === 'widget 4 (image)')?.message).toMatch(/image "schematic" is missing/);
    expect(r.problems.find((p) => p.item === 'widget 5 (gauge)')?.message).toMatch(/max must be above min/);
    expect(r.dashboard?.widgets.map((w) => w.id)).toEqual(['a', 'c', 'd']);
    const md = r.dashboard?.widgets.find((w) => w.type === 'markdown');
    expect(md && md.type === 'markdown' ? md.text : '').not.toMatch(/script/);
    expect(r.unknownSignals).toEqual(['Gone Signal']);
  });

  it('says what is wrong with something that is not a template at all', () => {
    expect(readTemplate([1, 2], { signals }).problems[0]?.message).toMatch(/expected a JSON object/);
    expect(readTemplate({ format: 'parx-dashboard', version: 1 }, { signals }).problems.at(-1)?.message).toMatch(/no "dashboard"/);
  });
});

describe('remapSignals', () => {
  it('renames a signal everywhere it is used, Markdown included', () => {
    const d = remapSignals(DashboardSchema.parse(good), { 'Line Speed': 'Speed' });
    expect(dashboardSignals(d)).toEqual(['Speed', 'Exit Tension']);
    const md = d.widgets[2];
    expect(md?.type === 'markdown' && md.text).toBe('Speed **{{Speed}}**');
  });
});
