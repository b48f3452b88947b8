/**
 * Rows of a foreign table → ParX samples under a mapping. Pure (no I/O): the bad-input
 * rules live here — a row whose time or value cannot be read is skipped and counted (the
 * first few line numbers kept), duplicate timestamps are kept and counted, time going
 * backwards is counted (the writer sorts).
 */
import type { Mapping } from '../../shared/contract/files';
import type { Cell } from './detect';
import { SampleBuilder } from './sample-builder';
import { toEpochMs } from './time-parse';

export const FIRST_SKIPPED = 10;

export interface SignalSlot {
  readonly name: string;
  unit: string;
  samples: number;
}

/** A number; null for an empty cell (no sample); undefined for text that is not a number. */
function toNumber(c: Cell): number | null | undefined {
  if (c === null) return null;
  if (typeof c === 'number') return c;
  const s = c.trim();
  if (s === '') return null;
  if (/^[-+]?nan$/i.test(s)) return Number.NaN;
  const n = Number(s.replace(',', '.'));
  return Number.isNaN(n) ? undefined : n;
}

export class Converter {
  readonly samples = new SampleBuilder();
  readonly signals: SignalSlot[] = [];
  private readonly ids = new Map<string, number>();
  rows = 0;
  skipped = 0;
  readonly firstSkipped: { line: number; reason: string }[] = [];
  duplicates = 0;
  backward = 0;
  /** Last time per stream: the whole table when wide, each signal when long. */
  private readonly last = new Map<number, number>();
  private readonly width: number;
  private readonly timeIx: number;
  private readonly qualityIx: number;
  private readonly wide: { ix: number; id: number }[] = [];
  private readonly longIx: { name: number; value: number; unit: number } | null = null;

  constructor(
    header: readonly string[],
    private readonly mapping: Mapping,
    private readonly origin: number,
  ) {
    this.width = header.length;
    const ix = (name: string | null, what: string): number => {
      if (name === null) return -1;
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`the ${what} column "${name}" is not in the file (columns: ${header.join(', ')})`);
      return i;
    };
    if (mapping.time === null) throw new Error('the file has no time column mapped: choose which column holds the time of each row');
    this.timeIx = ix(mapping.time, 'time');
    this.qualityIx = ix(mapping.quality, 'quality');
    if (mapping.layout === 'wide') {
      if (mapping.signals.length === 0) throw new Error('no signal columns chosen: pick at least one numeric column');
      for (const s of mapping.signals) this.wide.push({ ix: ix(s.column, 'signal'), id: this.slot(s.name, s.unit) });
    } else {
      const l = mapping.long;
      if (!l) throw new Error('long layout needs the column with signal names and the one with values');
      this.longIx = { name: ix(l.name, 'signal name'), value: ix(l.value, 'value'), unit: ix(l.unit, 'unit') };
    }
  }

  private slot(name: string, unit: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.signals.length;
      this.signals.push({ name, unit, samples: 0 });
      this.ids.set(name, id);
    }
    return id;
  }

  skip(line: number, reason: string): void {
    this.skipped++;
    if (this.firstSkipped.length < FIRST_SKIPPED) this.firstSkipped.push({ line, reason });
  }

  private order(stream: number, t: number): void {
    const prev = this.last.get(stream);
    if (prev !== undefined) {
      if (t === prev) this.duplicates++;
      else if (t < prev) this.backward++;
    }
    this.last.set(stream, t);
  }

  row(cells: Cell[], line: number): void {
    // A row cut short or run together (a lost delimiter) cannot be trusted column by column.
    if (cells.length !== this.width) return this.skip(line, `${cells.length} field(s) where the header has ${this.width}`);
    const timeCell = cells[this.timeIx] ?? null;
    const t = toEpochMs(timeCell, this.mapping.timeUnit, this.origin);
    if (!Number.isFinite(t)) {
      this.skip(line, timeCell === null || timeCell === '' ? 'no time' : `time "${String(timeCell)}" is not a ${this.mapping.timeUnit === 'iso' ? 'date/time' : 'number'}`);
      return;
    }
    let quality = 0;
    if (this.qualityIx >= 0) {
      const q = toNumber(cells[this.qualityIx] ?? null);
      quality = q === null || q === undefined || !Number.isFinite(q) ? 0 : Math.min(3, Math.max(0, Math.round(q)));
    }
    if (this.longIx) {
      const name = String(cells[this.longIx.name] ?? '').trim();
      const v = toNumber(cells[this.longIx.value] ?? null);
      if (name === '') return this.skip(line, 'no signal name');
      if (v === null || v === undefined) return this.skip(line, `value "${String(cells[this.longIx.value] ?? '')}" of ${name} is not a number`);
      const id = this.slot(name, this.longIx.unit >= 0 ? String(cells[this.longIx.unit] ?? '') : '');
      this.order(id, t);
      this.samples.push(t, id, v, quality);
      (this.signals[id] as SignalSlot).samples++;
      this.rows++;
      return;
    }
    // Wide: a text where a number belongs spoils the row; an empty cell is just no sample.
    const values: number[] = [];
    for (const w of this.wide) {
      const v = toNumber(cells[w.ix] ?? null);
      if (v === undefined) {
        const col = this.mapping.signals[this.wide.indexOf(w)]?.column ?? '';
        return this.skip(line, `"${String(cells[w.ix])}" in column ${col} is not a number`);
      }
      values.push(v === null ? Number.NaN : v);
    }
    this.order(-1, t);
    values.forEach((v, i) => {
      const w = this.wide[i] as { ix: number; id: number };
      if (Number.isNaN(v)) return;
      this.samples.push(t, w.id, v, quality);
      (this.signals[w.id] as SignalSlot).samples++;
    });
    this.rows++;
  }
}
