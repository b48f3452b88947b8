import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../shared/contract';
import { decodeFrame } from '../shared/wire';
import { Engine } from '../engine/engine';
import { tempDir, waitFor } from '../testing/helpers';
import { serve, type RunningServer } from './serve';

async function rendererFixture(): Promise<string> {
  const dir = await tempDir('parx-renderer-');
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>ParX</title>');
  await fs.mkdir(path.join(dir, 'assets'));
  await fs.writeFile(path.join(dir, 'assets', 'a.js'), 'console.log(1)');
  return dir;
}

function client(url: string) {
  const ws = new WebSocket(url);
  const messages: ServerMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(decodeFrame(new Uint8Array(data)) as ServerMessage));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const reply = (id: number | null) => waitFor(() => messages.find((m) => m.type === 'reply' && m.id === id), `reply ${id}`);
  return { ws, messages, opened, reply };
}

describe('parx serve: HTTP + WebSocket with an access token', () => {
  let engine: Engine | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await engine?.stop();
  });

  async function start() {
    engine = await Engine.start({ workspace: await tempDir(), mode: 'browser' });
    server = await serve(engine, { port: 0, rendererDir: await rendererFixture() });
    return server;
  }

  it('binds 127.0.0.1 and prints a URL with a random token', async () => {
    const s = await start();
    expect(s.host).toBe('127.0.0.1');
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('answers 401 without the token, serves the page with it, then by cookie; keeps files inside the root', async () => {
    const s = await start();
    const base = `http://127.0.0.1:${s.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const page = await fetch(s.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    const asset = await fetch(`${base}/assets/a.js`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(asset.status).toBe(200);
    const escape = await fetch(`${base}/..%2f..%2fetc%2fpasswd?token=${s.token}`);
    expect(escape.status).toBe(404);
  });

  it('refuses a WebSocket without the token', async () => {
    const s = await start();
    const c = client(`ws://127.0.0.1:${s.port}/ws`);
    await expect(c.opened).rejects.toThrow(/401/);
  });

  it('answers malformed messages and unknown methods with errors and keeps serving every client', async () => {
    const s = await start();
    const a = client(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`);
    const b = client(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`);
    await Promise.all([a.opened, b.opened]);

    a.ws.send('{not json');
    const notJson = await a.reply(null);
    expect(notJson).toMatchObject({ result: { ok: false, error: { kind: 'invalid-request', message: expect.stringMatching(/not JSON/) } } });

    a.ws.send(JSON.stringify({ id: 1, method: 'rm -rf', params: {} }));
    expect(await a.reply(1)).toMatchObject({ result: { ok: false, error: { kind: 'unknown-method' } } });

    a.ws.send(JSON.stringify({ id: 2, method: 'live.subscribe', params: { signals: [], maxRate: 5 } }));
    expect(await a.reply(2)).toMatchObject({ result: { ok: false, error: { kind: 'invalid-request', path: 'signals' } } });

    a.ws.send(Buffer.from([1, 2, 3]));
    a.ws.send(JSON.stringify({ no: 'id' }));
    b.ws.send(JSON.stringify({ id: 7, method: 'engine.info', params: {} }));
    expect(await b.reply(7)).toMatchObject({ result: { ok: true, value: { mode: 'browser' } } });
    a.ws.send(JSON.stringify({ id: 3, method: 'engine.info' }));
    expect(await a.reply(3)).toMatchObject({ result: { ok: true } });
    a.ws.close();
    b.ws.close();
  });

  it('takes a file dropped onto the page (files.upload) far past the 1 MB a small socket limit would allow', async () => {
    const s = await start();
    const op = client(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`);
    await op.opened;
    const bytes = Buffer.alloc(3_000_000, 7);
    op.ws.send(JSON.stringify({ id: 1, method: 'files.upload', params: { name: 'big.csv', base64: bytes.toString('base64') } }));
    const r = await op.reply(1);
    expect(r).toMatchObject({ result: { ok: true, value: { bytes: 3_000_000 } } });
    expect(op.ws.readyState).toBe(WebSocket.OPEN);
    op.ws.close();
  });

  it('a read-only viewer token: reads and watches, may change nothing, and its cookie stays a viewer cookie', async () => {
    const s = await start();
    const viewerToken = new URL(s.viewerUrl).searchParams.get('token') ?? '';
    expect(viewerToken).not.toBe(s.token);
    expect(viewerToken.length).toBeGreaterThanOrEqual(20);

    const op = client(`ws://127.0.0.1:${s.port}/ws?token=${s.token}`);
    const viewer = client(`ws://127.0.0.1:${s.port}/ws?token=${viewerToken}`);
    await Promise.all([op.opened, viewer.opened]);
    // The operator's page learns the viewer token to put in share links.
    op.ws.send(JSON.stringify({ id: 1, method: 'engine.info', params: {} }));
    expect(await op.reply(1)).toMatchObject({ result: { ok: true, value: { viewerToken, role: 'operator' } } });
    // The viewer's page learns it is one (to hide what would be refused), and gets no token to share.
    viewer.ws.send(JSON.stringify({ id: 11, method: 'engine.info', params: {} }));
    expect(await viewer.reply(11)).toMatchObject({ result: { ok: true, value: { viewerToken: null, role: 'viewer' } } });

    viewer.ws.send(JSON.stringify({ id: 2, method: 'signals.list', params: {} }));
    expect(await viewer.reply(2)).toMatchObject({ result: { ok: true } });
    for (const [id, method, params] of [
      [3, 'config.save', { config: { version: 1 } }],
      [4, 'recording.command', { action: 'stop' }],
      [5, 'alarms.ack', {}],
      [6, 'dashboards.save', {}],
    ] as const) {
      viewer.ws.send(JSON.stringify({ id, method, params }));
      expect(await viewer.reply(id)).toMatchObject({ result: { ok: false, error: { kind: 'forbidden', message: expect.stringContaining(method) } } });
    }
    // The same request from the operator reaches the engine (and fails there only on its content).
    op.ws.send(JSON.stringify({ id: 7, method: 'config.save', params: { config: { version: 99 } } }));
    expect(await op.reply(7)).toMatchObject({ result: { ok: false, error: { kind: 'invalid-config' } } });

    const page = await fetch(s.viewerUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie') ?? '').toContain(`parx_token=${encodeURIComponent(viewerToken)}`);
    op.ws.close();
    viewer.ws.close();
  });
});
