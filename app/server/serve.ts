/**
 * `parx serve`: the engine over HTTP + WebSocket for browsers (remote viewers, headless
 * PCs, and how the UI is tested here). Binds 127.0.0.1 unless told otherwise; every HTTP
 * and WebSocket request must carry the access token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientRequestSchema, VIEWER_METHODS, WS_PATH, type Role, type ServerMessage } from '../shared/contract';
import { MAX_UPLOAD_BASE64 } from '../shared/contract/files';
import { encodeFrame } from '../shared/wire';
import { parxError } from '../shared/result';
import type { Engine } from '../engine/engine';
import { newToken, roleOf, tokenCookie, tokenFromRequest, viewerTokenFor } from './auth';
import { serveStatic } from './static-files';

export interface ServeOptions {
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** The read-only link: dashboards and live values, no changes (see VIEWER_METHODS). */
  readonly viewerUrl: string;
  close(): Promise<void>;
}

/** A viewer whose socket holds more than this unsent is "busy": the live bus holds back and keeps only the newest samples. */
const BUSY_BYTES = 4 * 1024 * 1024;
/** The largest request is a file dropped onto the page (files.upload): its base64 plus the JSON around it. */
const MAX_MESSAGE_BYTES = MAX_UPLOAD_BASE64 + 64 * 1024;

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
}

function attachClient(engine: Engine, ws: WebSocket, role: Role): void {
  const session = engine.connect({
    emit: (event, payload) => send(ws, { type: 'event', event, payload } as ServerMessage),
    busy: () => ws.bufferedAmount > BUSY_BYTES,
    role,
  });
  ws.on('message', (data, isBinary) => {
    const fail = (message: string): void => send(ws, { type: 'reply', id: null, result: { ok: false, error: parxError('invalid-request', message) } });
    if (isBinary) return fail('requests must be JSON text frames');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch (e) {
      return fail(`message is not JSON: ${(e as Error).message}`);
    }
    const request = ClientRequestSchema.safeParse(json);
    if (!request.success) return fail('a request is {"id": number, "method": string, "params": object}');
    const { id, method, params } = request.data;
    // Enforced here, not in the page: a viewer's browser is not trusted to hide buttons.
    if (role === 'viewer' && !(VIEWER_METHODS as ReadonlySet<string>).has(method)) {
      send(ws, { type: 'reply', id, result: { ok: false, error: parxError('forbidden', `this is a read-only link: "${method}" needs the operator's link`) } });
      return;
    }
    void session.call(method, params).then((result) => send(ws, { type: 'reply', id, result }));
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
}

export async function serve(engine: Engine, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const viewerToken = viewerTokenFor(token);
  engine.viewerToken = viewerToken;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const server = http.createServer((req, res) => {
    const role = roleOf(req, token, viewerToken);
    if (!role) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('ParX: this address needs the access token printed by `parx serve` (…/?token=…)\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    // The cookie carries the token this page was opened with: a viewer's stays a viewer's.
    const given = tokenFromRequest(req);
    void serveStatic(options.rendererDir, url.pathname, res, given.fromQuery && given.token ? { 'set-cookie': tokenCookie(given.token) } : {});
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const role = roleOf(req, token, viewerToken);
    if (url.pathname !== WS_PATH || !role) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(engine, ws, role));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    viewerUrl: `http://${shownHost}:${port}/?token=${viewerToken}`,
    host,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
