import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { createMainWindow, hardenSession, isAppUrl, windowOptions } from './window';

/** A stand-in for Electron's BrowserWindow: records what the factory asks of it. */
function fakeBrowserWindow() {
  const created: { options: unknown; handlers: Map<string, (...a: unknown[]) => void>; openHandler?: (d: unknown) => unknown }[] = [];
  class FakeWindow {
    readonly webContents;
    constructor(options: unknown) {
      const rec: (typeof created)[number] = { options, handlers: new Map() };
      created.push(rec);
      this.webContents = {
        setWindowOpenHandler: (h: (d: unknown) => unknown) => (rec.openHandler = h),
        on: (name: string, h: (...a: unknown[]) => void) => rec.handlers.set(name, h),
      };
    }
    once(): void {}
  }
  return { BrowserWindow: FakeWindow as unknown as typeof BrowserWindow, created };
}

const APP = 'file:///opt/parx/resources/app.asar/out/renderer/index.html';

describe('the window factory', () => {
  it('hardens every window', () => {
    const prefs = windowOptions('/p/preload.js').webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, webSecurity: true, preload: '/p/preload.js' });
  });

  it('denies window.open and navigation away from the app', () => {
    const { BrowserWindow, created } = fakeBrowserWindow();
    const load = vi.fn(async () => undefined);
    createMainWindow(BrowserWindow, { preloadPath: '/p/preload.js', appUrl: APP, load });
    const win = created[0];
    expect(win).toBeDefined();
    expect(load).toHaveBeenCalledOnce();
    expect(win?.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });

    const navigate = win?.handlers.get('will-navigate');
    const away = { preventDefault: vi.fn() };
    navigate?.(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const fileAway = { preventDefault: vi.fn() };
    navigate?.(fileAway, 'file:///etc/passwd');
    expect(fileAway.preventDefault).toHaveBeenCalled();
    const stay = { preventDefault: vi.fn() };
    navigate?.(stay, `${APP}#/trend`);
    expect(stay.preventDefault).not.toHaveBeenCalled();

    const redirect = { preventDefault: vi.fn() };
    win?.handlers.get('will-redirect')?.(redirect, 'http://127.0.0.1:9/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    win?.handlers.get('will-attach-webview')?.(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('compares app URLs by origin and path, not by prefix', () => {
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173/index.html')).toBe(true);
    expect(isAppUrl('http://localhost:5173.evil.com/index.html', 'http://localhost:5173/index.html')).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
  });

  it('sets a strict CSP on every response and refuses permission requests', () => {
    let onHeaders: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    let onPermission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    const session = {
      webRequest: { onHeadersReceived: (h: typeof onHeaders) => (onHeaders = h) },
      setPermissionRequestHandler: (h: typeof onPermission) => (onPermission = h),
    };
    hardenSession(session as never);
    let headers: Record<string, string[]> = {};
    onHeaders?.({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders));
    const csp = headers['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(headers['X-Other']).toEqual(['1']);
    const answer = vi.fn();
    onPermission?.({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
  });
});
