/**
 * A Modbus register map from CSV, as PLC programmers hand them over: one row per value with a
 * name, where it lives and how to read it. Either one `address` column in ParX syntax
 * (`hr:10:float32:abcd`) or a classic Modicon number (`40011`), or separate `area`, `offset`,
 * `type`, `order` (and `bit`, `length`) columns. Optional: unit, description, scale, and the
 * value offset (`value offset`; also `offset` when an `address` column gives the register).
 * Every bad row is reported with its line number; the good rows are still usable.
 */
import Papa from 'papaparse';
import { formatModbusAddress, parseModbusAddress } from './address';

export interface MapRegister {
  /** Line of the CSV text the row starts on (1 = the header). */
  readonly line: number;
  readonly name: string;
  /** Canonical ParX address, e.g. "hr:10:float32:abcd". */
  readonly address: string;
  readonly unit: string;
  readonly description: string;
  readonly scale: number;
  readonly offset: number;
}

export interface MapProblem {
  readonly line: number;
  readonly message: string;
}

export interface RegisterMap {
  readonly registers: MapRegister[];
  readonly problems: MapProblem[];
}

/** Header spellings seen in the wild, folded to one key each. */
const ALIASES: Record<string, string> = {
  name: 'name', tag: 'name', signal: 'name', tagname: 'name',
  address: 'address', addr: 'address',
  area: 'area', table: 'area', 'register type': 'area', registertype: 'area',
  offset: 'offset', register: 'offset', reg: 'offset', start: 'offset',
  type: 'type', datatype: 'type', 'data type': 'type',
  order: 'order', byteorder: 'order', 'byte order': 'order', endian: 'order', swap: 'order',
  bit: 'bit', length: 'length', len: 'length',
  unit: 'unit', units: 'unit', eu: 'unit',
  description: 'description', comment: 'description', desc: 'description',
  scale: 'scale', factor: 'scale', gain: 'scale', multiplier: 'scale',
  'value offset': 'valueOffset', valueoffset: 'valueOffset', bias: 'valueOffset',
};

const AREA_WORDS: Record<string, string> = {
  hr: 'hr', holding: 'hr', 'holding register': 'hr', 'holding registers': 'hr', '4x': 'hr',
  ir: 'ir', input: 'ir', 'input register': 'ir', 'input registers': 'ir', '3x': 'ir',
  co: 'co', coil: 'co', coils: 'co', '0x': 'co',
  di: 'di', discrete: 'di', 'discrete input': 'di', 'discrete inputs': 'di', '1x': 'di',
};

/** 40001-style numbers: the leading digit names the table, the rest is 1-based. */
function modicon(text: string): { area: string; offset: number } | undefined {
  const m = /^([0134])(\d{4,5})$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[2]);
  if (n < 1) return undefined;
  return { area: { '0': 'co', '1': 'di', '3': 'ir', '4': 'hr' }[m[1] as '0' | '1' | '3' | '4'], offset: n - 1 };
}

type Row = Record<string, string>;

function addressText(row: Row): { text: string } | { problem: string } {
  const type = row.type?.toLowerCase();
  const order = row.order?.toLowerCase();
  const tail = (area: string): string => {
    if (area === 'co' || area === 'di') return '';
    if (row.bit) return `.${row.bit}`;
    if (!type) return '';
    return `:${type}${type === 'string' ? `:${row.length ?? ''}` : ''}${order ? `:${order}` : ''}`;
  };
  if (row.address) {
    const classic = modicon(row.address);
    if (classic) return { text: `${classic.area}:${classic.offset}${tail(classic.area)}` };
    if (row.address.includes(':')) return { text: row.address };
    return { problem: `address "${row.address}" is neither ParX syntax (hr:10:float32:abcd) nor a Modicon number (40011)` };
  }
  if (!row.area) return { problem: 'no address: give an "address" column, or "area" and "offset" columns' };
  const area = AREA_WORDS[row.area.toLowerCase()];
  if (!area) return { problem: `area "${row.area}" is not one of hr, ir, co, di (or holding, input, coil, discrete)` };
  if (!row.offset) return { problem: 'no offset: the "offset" column is empty' };
  if (!/^\d+$/.test(row.offset)) return { problem: `offset "${row.offset}" is not a whole number` };
  return { text: `${area}:${row.offset}${tail(area)}` };
}

function number(text: string | undefined, fallback: number, decimalComma: boolean): number | string {
  if (text === undefined || text === '') return fallback;
  const v = Number(decimalComma ? text.replace(',', '.') : text);
  return Number.isFinite(v) ? v : text;
}

export function parseRegisterMap(csv: string): RegisterMap {
  const registers: MapRegister[] = [];
  const problems: MapProblem[] = [];
  const text = csv.replace(/^\uFEFF/, '');
  let columns: (string | undefined)[] | null = null;
  let unknownColumns: string[] = [];
  // Papa reports a cursor near where each row ended; a row begins at the next character that is not a line break.
  let previousEnd = 0;
  let counted = 0;
  let newlines = 0;
  const lineAt = (position: number): number => {
    for (; counted < position; counted++) if (text.charCodeAt(counted) === 10) newlines++;
    return newlines + 1;
  };
  const names = new Map<string, number>();
  let delimiter = ',';

  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result) => {
      let begin = previousEnd;
      while (begin < text.length && (text.charCodeAt(begin) === 10 || text.charCodeAt(begin) === 13)) begin++;
      previousEnd = Math.max(previousEnd, result.meta.cursor);
      const rowLine = lineAt(begin);
      delimiter = result.meta.delimiter;
      const cells = result.data.map((c) => c.trim());
      if (cells.every((c) => c === '')) return;
      if (columns === null) {
        columns = cells.map((c) => ALIASES[c.toLowerCase().replace(/[_-]+/g, ' ').trim()] ?? ALIASES[c.toLowerCase().replace(/[\s_-]+/g, '')]);
        unknownColumns = cells.filter((_, i) => columns?.[i] === undefined && cells[i] !== '');
        if (!columns.includes('name')) problems.push({ line: rowLine, message: `no "name" column in the header (${cells.join(', ')})` });
        if (!columns.includes('address') && !columns.includes('area')) problems.push({ line: rowLine, message: 'no "address" column, nor "area" and "offset" columns, in the header' });
        return;
      }
      const row: Row = {};
      columns.forEach((key, i) => {
        if (key && cells[i] !== undefined && cells[i] !== '') row[key] = cells[i] as string;
      });
      // With an "address" column, a plain "offset" column can only mean the value offset.
      if (row.address && row.offset !== undefined && row.valueOffset === undefined) {
        row.valueOffset = row.offset;
        delete row.offset;
      }
      const fail = (message: string): void => void problems.push({ line: rowLine, message: row.name ? `${row.name}: ${message}` : message });
      if (!row.name) return fail('no name');
      const where = addressText(row);
      if ('problem' in where) return fail(where.problem);
      const parsed = parseModbusAddress(where.text);
      if (!parsed.ok) return fail(parsed.error.message);
      const decimalComma = delimiter === ';';
      const scale = number(row.scale, 1, decimalComma);
      const offset = number(row.valueOffset, 0, decimalComma);
      if (typeof scale === 'string') return fail(`scale "${scale}" is not a number`);
      if (typeof offset === 'string') return fail(`value offset "${offset}" is not a number`);
      const earlier = names.get(row.name);
      if (earlier !== undefined) return fail(`the name is already used on line ${earlier}`);
      names.set(row.name, rowLine);
      registers.push({ line: rowLine, name: row.name, address: formatModbusAddress(parsed.value), unit: row.unit ?? '', description: row.description ?? '', scale, offset });
    },
  });
  if (columns === null) problems.push({ line: 1, message: 'the file is empty: expected a header row such as "name,address,unit,description,scale"' });
  else if (unknownColumns.length) problems.push({ line: 1, message: `ignored column(s): ${unknownColumns.join(', ')}` });
  return { registers, problems };
}
