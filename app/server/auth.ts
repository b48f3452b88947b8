/**
 * Browser mode is guarded by a random access token: in the URL the server prints, then in
 * an HttpOnly, SameSite=Strict cookie so the page's own asset requests carry it.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'parx_token';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function tokenFromRequest(req: IncomingMessage): { token: string | null; fromQuery: boolean } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = url.searchParams.get('token');
  if (q) return { token: q, fromQuery: true };
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7), fromQuery: false };
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return { token: decodeURIComponent(v.join('=')), fromQuery: false };
  }
  return { token: null, fromQuery: false };
}

export function isAuthorized(req: IncomingMessage, expected: string): boolean {
  const { token } = tokenFromRequest(req);
  return token !== null && safeEqual(token, expected);
}

/**
 * The read-only token that goes with an operator token: derived (HMAC), so a fixed
 * PARX_TOKEN gives a stable viewer link too, and one cannot be turned into the other.
 */
export function viewerTokenFor(token: string): string {
  return crypto.createHmac('sha256', token).update('parx read-only viewer').digest('base64url').slice(0, 32);
}

/** Who the request speaks for: the operator (full access), a read-only viewer, or nobody. */
export function roleOf(req: IncomingMessage, token: string, viewerToken: string): 'operator' | 'viewer' | null {
  const { token: given } = tokenFromRequest(req);
  if (given === null) return null;
  if (safeEqual(given, token)) return 'operator';
  if (safeEqual(given, viewerToken)) return 'viewer';
  return null;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
