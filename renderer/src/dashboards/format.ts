/** How values and times are shown on a dashboard, following the user's preferences. Pure. */
import type { Limits, Prefs } from '../../../app/shared/dashboards/schema';

export type LimitLevel = 'lolo' | 'lo' | 'normal' | 'hi' | 'hihi';

/** Which limit band a value is in; the outer limits win (a value past hi-hi is hi-hi, not hi). */
export function limitLevel(v: number, l: Limits): LimitLevel {
  if (l.hiHi !== null && v >= l.hiHi) return 'hihi';
  if (l.loLo !== null && v <= l.loLo) return 'lolo';
  if (l.hi !== null && v >= l.hi) return 'hi';
  if (l.lo !== null && v <= l.lo) return 'lo';
  return 'normal';
}

const grouped = new Map<number, Intl.NumberFormat>();

export function formatNumber(v: number, decimals: number, style: Prefs['numberFormat']): string {
  if (!Number.isFinite(v)) return '—';
  if (style === 'grouped') {
    let f = grouped.get(decimals);
    if (!f) grouped.set(decimals, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
    return f.format(v);
  }
  const s = v.toFixed(decimals);
  return style === 'comma' ? s.replace('.', ',') : s;
}

const times = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-26 14:03:07" in the chosen zone ('local', 'UTC' or an IANA name; an unknown zone falls back to local). */
export function formatTime(ts: number, zone: string): string {
  let f = times.get(zone);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    try {
      f = new Intl.DateTimeFormat('sv-SE', zone === 'local' ? opts : { ...opts, timeZone: zone });
    } catch {
      f = new Intl.DateTimeFormat('sv-SE', opts);
    }
    times.set(zone, f);
  }
  return f.format(new Date(ts));
}
