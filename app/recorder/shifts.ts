/**
 * Shift starts (e.g. 06:00, 14:00, 22:00) as instants, in the plant's time zone, across DST —
 * with Intl only. A shift start that falls into a spring-forward gap happens at the first
 * instant after the gap (what a wall clock shows then).
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(timeZone, f);
  }
  return f;
}

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function wall(ms: number, timeZone: string): Wall {
  const p: Record<string, number> = {};
  for (const part of format(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year ?? 0, mo: p.month ?? 1, d: p.day ?? 1, h: p.hour ?? 0, mi: p.minute ?? 0, s: p.second ?? 0 };
}

/** The zone's offset from UTC at `ms`, in ms (CEST → +7 200 000). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wall(ms, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant the zone's wall clock shows y-mo-d h:mi (the later instant when it shows it twice). */
export function zonedInstant(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  return Math.max(first, second);
}

/** Parses `HH:MM` shift starts; throws on anything else, since a config error must not shift batches silently. */
export function parseShiftStarts(starts: readonly string[]): [number, number][] {
  return starts.map((s) => {
    const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
    if (!m) throw new Error(`shift start "${s}" must be HH:MM (00:00–23:59)`);
    return [Number(m[1]), Number(m[2])];
  });
}

/** The first shift start strictly after `ms`. */
export function nextShiftStart(ms: number, starts: readonly [number, number][], timeZone: string): number {
  const today = wall(ms, timeZone);
  let best = Infinity;
  for (let day = 0; day <= 2; day++) {
    const date = new Date(Date.UTC(today.y, today.mo - 1, today.d + day));
    for (const [h, mi] of starts) {
      const t = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), h, mi, timeZone);
      if (t > ms && t < best) best = t;
    }
  }
  return best;
}

/** The latest shift start at or before `ms` (the shift `ms` belongs to). */
export function shiftStartOf(ms: number, starts: readonly [number, number][], timeZone: string): number {
  const today = wall(ms, timeZone);
  let best = -Infinity;
  for (let day = -2; day <= 0; day++) {
    const date = new Date(Date.UTC(today.y, today.mo - 1, today.d + day));
    for (const [h, mi] of starts) {
      const t = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), h, mi, timeZone);
      if (t <= ms && t > best) best = t;
    }
  }
  return best;
}
