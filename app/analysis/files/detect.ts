/**
 * Proposing a mapping for a foreign table from its header and first rows: which column is
 * time (name, then content), which are signals, units from header text like "Speed [m/min]",
 * and whether it is long (a name column + a value column) rather than wide. Pure.
 */
import type { InspectResult, Mapping } from '../../shared/contract/files';
import { guessNumericTimeUnit, parseTimeText } from './time-parse';

export type Cell = string | number | null;
export type ColumnType = InspectResult['columns'][number]['type'];

/** "Speed [m/min]", "Speed (m/min)", "Speed in m/min" → name and unit. */
export function splitUnit(header: string): { name: string; unit: string } {
  const h = header.trim();
  const m = /^(.*?)\s*[[(]([^\])]{1,20})[\])]\s*$/.exec(h) ?? /^(.*?)\s+in\s+(\S{1,12})$/i.exec(h);
  if (m && m[1]) return { name: m[1].trim(), unit: (m[2] ?? '').trim() };
  return { name: h, unit: '' };
}

const TIME_NAME = /^(time|timestamp|ts|date|datetime|date_?time|zeit|zeitstempel|t|utc|sample_?time|time_?stamp|local_?time)([_ ]?(s|ms|us|sec|utc))?$/i;
const TIME_PART = /time|date|zeit|stamp/i;
const NAME_COL = /^(signal|signal_?name|tag|tag_?name|name|variable|channel|sensor|item|point|parameter|measurement)s?$/i;
const VALUE_COL = /^(value|val|reading|measurement_?value|wert|y)$/i;
const UNIT_COL = /^(unit|units|eng_?unit|einheit)$/i;
const QUALITY_COL = /^(quality|q|status|qual)$/i;

const isNumberText = (s: string): boolean => /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(s.trim()) || /^[-+]?(nan|inf|infinity)$/i.test(s.trim());

export function cellType(c: Cell): ColumnType {
  if (c === null) return 'empty';
  if (typeof c === 'number') return 'number';
  const s = c.trim();
  if (s === '') return 'empty';
  if (isNumberText(s)) return 'number';
  if (!Number.isNaN(parseTimeText(s))) return 'time';
  return 'text';
}

/** The type most non-empty cells of a column have. */
export function columnType(cells: readonly Cell[], declared?: string): ColumnType {
  if (declared && /TIMESTAMP|DATE/i.test(declared)) return 'time';
  const counts: Record<ColumnType, number> = { time: 0, number: 0, text: 0, empty: 0 };
  for (const c of cells) counts[cellType(c)]++;
  const best = (['number', 'time', 'text'] as const).reduce((a, b) => (counts[b] > counts[a] ? b : a));
  return counts[best] === 0 ? 'empty' : best;
}

export interface Proposal {
  readonly columns: InspectResult['columns'];
  readonly mapping: Mapping;
  readonly notes: string[];
}

/** `declared`: column types as the file states them (Parquet), by name. */
export function proposeMapping(header: readonly string[], rows: readonly Cell[][], declared: Record<string, string> = {}): Proposal {
  const notes: string[] = [];
  const columns = header.map((name, i) => ({ name, type: columnType(rows.map((r) => r[i] ?? null), declared[name]), unit: splitUnit(name).unit }));
  const timeByName = columns.find((c) => TIME_NAME.test(splitUnit(c.name).name) && c.type !== 'text') ?? columns.find((c) => TIME_PART.test(c.name) && (c.type === 'time' || c.type === 'number'));
  const time = timeByName ?? columns.find((c) => c.type === 'time');
  let timeUnit: Mapping['timeUnit'] = 'iso';
  if (!time) notes.push('no column looks like a timestamp: choose the time column');
  else if (time.type === 'number') {
    const i = header.indexOf(time.name);
    const first = rows.map((r) => r[i]).find((c) => c !== null && c !== undefined && cellType(c) === 'number');
    timeUnit = guessNumericTimeUnit(time.name, Number(first ?? 0));
    if (timeUnit === 'relative-s') notes.push(`"${time.name}" holds small numbers: read as seconds from a start time (set it, or the file's modification time is used)`);
  }
  const rest = columns.filter((c) => c !== time);
  const texts = rest.filter((c) => c.type === 'text');
  const numbers = rest.filter((c) => c.type === 'number');
  const quality = rest.find((c) => QUALITY_COL.test(c.name) && c.type === 'number');
  const distinct = (name: string): number => new Set(rows.map((r) => r[header.indexOf(name)])).size;
  // Long by name ("tag", "signal" …), or one text column of several names beside a single value column.
  const lone = texts.length === 1 && texts[0] && !UNIT_COL.test(texts[0].name) && numbers.filter((c) => c !== quality).length === 1 && distinct(texts[0].name) > 1 ? texts[0] : undefined;
  const nameCol = texts.find((c) => NAME_COL.test(c.name) && !UNIT_COL.test(c.name)) ?? lone;
  if (nameCol && numbers.length > 0) {
    const value = numbers.find((c) => VALUE_COL.test(c.name)) ?? numbers.find((c) => c !== quality) ?? numbers[0];
    const unit = texts.find((c) => UNIT_COL.test(c.name));
    notes.push(`long layout: signal names in "${nameCol.name}", values in "${value?.name ?? ''}"`);
    return {
      columns,
      notes,
      mapping: { layout: 'long', time: time?.name ?? null, timeUnit, signals: [], long: { name: nameCol.name, value: value?.name ?? '', unit: unit?.name ?? null }, quality: quality?.name ?? null },
    };
  }
  const signals = numbers.filter((c) => c !== quality).map((c) => ({ column: c.name, ...splitUnit(c.name) }));
  if (signals.length === 0) notes.push('no numeric columns found: nothing to import as signals');
  const skipped = texts.map((c) => c.name);
  if (skipped.length > 0) notes.push(`text column(s) ${skipped.map((s) => `"${s}"`).join(', ')} are not signals and are left out`);
  return { columns, notes, mapping: { layout: 'wide', time: time?.name ?? null, timeUnit, signals, long: null, quality: quality?.name ?? null } };
}
