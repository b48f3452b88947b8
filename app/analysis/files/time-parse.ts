/**
 * Turning a time cell of a foreign file into ms since the epoch. Pure, shared by inspect
 * (to propose a unit) and import. Text without a zone is read as UTC — said in the UI.
 */
import type { TimeUnit } from '../../shared/contract/files';

const EUROPEAN = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?$/;
const ISOISH = /^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?)?/;

/** ISO-8601-like text (with space or T, optional zone, UTC if none) or `dd.mm.yyyy hh:mm[:ss[.fff]]`; NaN when not a time. */
export function parseTimeText(text: string): number {
  const s = text.trim();
  if (s === '') return Number.NaN;
  const eu = EUROPEAN.exec(s);
  if (eu) {
    const [, d, mo, y, h, mi, sec, frac] = eu;
    const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0)) + ms;
  }
  if (!ISOISH.test(s)) return Number.NaN;
  let iso = s.replace(' ', 'T').replace(',', '.');
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += 'T00:00:00';
  // Sub-millisecond digits are more than Date.parse takes: keep them apart.
  let extra = 0;
  iso = iso.replace(/(\.\d{3})(\d+)/, (_m, ms: string, rest: string) => {
    extra = Number(`0.${rest}`);
    return ms;
  });
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? t : t + extra;
}

/** A cell (text, number, or already a time in ms) in the given unit → ms since the epoch; NaN when it is not one. */
export function toEpochMs(cell: unknown, unit: TimeUnit, origin = 0): number {
  if (cell === null || cell === undefined) return Number.NaN;
  if (cell instanceof Date) return cell.getTime();
  if (unit === 'iso') {
    if (typeof cell === 'number') return cell;
    return parseTimeText(String(cell));
  }
  const n = typeof cell === 'number' ? cell : typeof cell === 'bigint' ? Number(cell) : Number(String(cell).trim().replace(',', '.'));
  if (!Number.isFinite(n) || (typeof cell === 'string' && cell.trim() === '')) return Number.NaN;
  switch (unit) {
    case 's':
      return n * 1000;
    case 'ms':
      return n;
    case 'us':
      return n / 1000;
    case 'relative-s':
      return origin + n * 1000;
  }
}

/** Which unit a numeric time column most likely has, from its name and magnitude. */
export function guessNumericTimeUnit(name: string, sample: number): TimeUnit {
  const n = name.toLowerCase();
  if (/(^|[_\s[(])us\b|µs|micro/.test(n)) return 'us';
  if (/(^|[_\s[(])ms\b|milli/.test(n)) return 'ms';
  const a = Math.abs(sample);
  if (a > 1e14) return 'us';
  if (a > 1e11) return 'ms';
  if (a > 1e8) return 's';
  return 'relative-s';
}
