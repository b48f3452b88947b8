/**
 * Read-only sharing in browser mode: `?dashboard=NAME&view=1` opens only that dashboard,
 * locked in view mode. Read when this module loads, before main.tsx takes the token out
 * of the address bar (which also drops the rest of the query).
 */
export interface SharedView {
  dashboard: string;
  view: boolean;
}

export function parseShare(search: string): SharedView | null {
  const q = new URLSearchParams(search);
  const dashboard = q.get('dashboard');
  if (!dashboard) return null;
  return { dashboard, view: q.get('view') === '1' || q.get('view') === 'true' };
}

const initial = typeof window === 'undefined' ? '' : window.location.search;
export const SHARED: SharedView | null = parseShare(initial);
/**
 * The link another browser opens to watch this dashboard, read-only: `token` is the engine's
 * viewer token (engine.info), which the server limits to reading — never this page's own.
 */
export function shareLink(origin: string, name: string, token: string | null): string {
  return `${origin}/?${token ? `token=${encodeURIComponent(token)}&` : ''}dashboard=${encodeURIComponent(name)}&view=1`;
}
