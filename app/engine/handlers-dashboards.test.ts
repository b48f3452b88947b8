import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRequest } from '../shared/contract';
import { tempDir } from '../testing/helpers';
import { dashboardHandlers } from './handlers-dashboards';
import type { ClientSession } from './engine';

/** Requests go through the contract's validation, then the handler, as the engine does it. */
type Reply = { ok: boolean; value?: unknown; error?: { kind: string; message: string; path?: string } };

async function call(workspace: string, method: string, params: unknown): Promise<Reply> {
  const req = validateRequest(method, params);
  if (!req.ok) return req as Reply;
  const session = { engine: { options: { workspace } } } as unknown as ClientSession;
  const handler = (dashboardHandlers as Record<string, (p: unknown, s: ClientSession) => Promise<unknown>>)[req.value.method];
  if (!handler) throw new Error(`no handler ${method}`);
  return handler(req.value.params, session) as Promise<Reply>;
}

const dashboard = {
  version: 1,
  name: 'Line 1 / Exit',
  widgets: [{ id: 'a', type: 'value', x: 0, y: 0, w: 3, h: 2, signal: 'Line Speed' }],
};

describe('dashboards handlers', () => {
  it('save, list, get and remove a dashboard; the file carries its version', async () => {
    const ws = await tempDir();
    const saved = await call(ws, 'dashboards.save', { dashboard });
    expect(saved.ok).toBe(true);
    const file = (saved.value as { file: string }).file;
    expect(path.dirname(file)).toBe(path.join(ws, 'dashboards'));
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ version: 1, name: 'Line 1 / Exit' });
    expect((await call(ws, 'dashboards.list', {})).value).toMatchObject([{ name: 'Line 1 / Exit', widgets: 1 }]);
    expect((await call(ws, 'dashboards.get', { name: 'Line 1 / Exit' })).value).toMatchObject({ dashboard: { widgets: [{ decimals: 1, sparkline: false }] } });
    expect((await call(ws, 'dashboards.remove', { name: 'Line 1 / Exit' })).value).toEqual({ removed: true });
    const gone = await call(ws, 'dashboards.get', { name: 'Line 1 / Exit' });
    expect(gone.error).toMatchObject({ kind: 'not-found', message: 'no dashboard named "Line 1 / Exit"' });
  });

  it('refuses a bad dashboard with the field that is wrong', async () => {
    const ws = await tempDir();
    const r = await call(ws, 'dashboards.save', { dashboard: { ...dashboard, widgets: [{ id: 'b', type: 'radar', x: 0, y: 0, w: 1, h: 1 }] } });
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('invalid-request');
    expect(r.error?.path).toMatch(/^dashboard\.widgets\[0\]/);
    const v = await call(ws, 'dashboards.save', { dashboard: { ...dashboard, version: 2 } });
    expect(v.error?.message).toMatch(/dashboard version must be 1/);
  });

  it('a dashboard name cannot escape the dashboards folder', async () => {
    const ws = await tempDir();
    await call(ws, 'dashboards.save', { dashboard: { ...dashboard, name: '../../evil' } });
    const files = await fs.readdir(path.join(ws, 'dashboards'));
    expect(files).toHaveLength(1);
    expect(files[0]).not.toContain('/');
    expect((await call(ws, 'dashboards.get', { name: '../../evil' })).ok).toBe(true);
  });

  it('stores images and preferences in the workspace', async () => {
    const ws = await tempDir();
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';
    expect((await call(ws, 'dashboards.putImage', { name: 'schematic.png', dataUrl: png })).value).toMatchObject({ name: 'schematic' });
    expect((await call(ws, 'dashboards.getImage', { name: 'schematic' })).value).toMatchObject({ dataUrl: png });
    expect((await call(ws, 'dashboards.listImages', {})).value).toEqual(['schematic']);
    expect((await call(ws, 'dashboards.putImage', { name: 'x', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' })).ok).toBe(false);
    expect((await call(ws, 'dashboards.putImage', { name: '../x', dataUrl: png })).ok).toBe(false);
    expect((await call(ws, 'dashboards.getImage', { name: 'nope' })).error?.message).toMatch(/no image named "nope"/);

    expect((await call(ws, 'prefs.get', {})).value).toEqual({ version: 1, theme: 'dark', numberFormat: 'plain', timeZone: 'local' });
    await call(ws, 'prefs.save', { prefs: { theme: 'light', numberFormat: 'grouped', timeZone: 'UTC' } });
    expect((await call(ws, 'prefs.get', {})).value).toEqual({ version: 1, theme: 'light', numberFormat: 'grouped', timeZone: 'UTC' });
  });
});
