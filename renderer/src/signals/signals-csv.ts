/**
 * Signals as CSV, for bulk work in a spreadsheet: one row per signal, a header naming the
 * columns. Import checks every row against the contract's signal schema and says which row
 * and column is wrong; good rows are kept.
 */
import Papa from 'papaparse';
import { SignalSchema, type FieldProblem, type SignalConfig } from '../../../app/shared/contract';

export const CSV_COLUMNS = ['name', 'unit', 'description', 'connection', 'address', 'scale', 'offset', 'timebaseMs'] as const;
const NUMERIC = new Set(['scale', 'offset', 'timebaseMs']);
const REQUIRED = new Set(['name', 'connection', 'address']);

export function signalsToCsv(signals: readonly SignalConfig[]): string {
  return Papa.unparse({ fields: [...CSV_COLUMNS], data: signals.map((s) => CSV_COLUMNS.map((c) => s[c])) }, { newline: '\n' });
}

export interface CsvImport {
  readonly signals: SignalConfig[];
  /** path = `row 3, address` style: the spreadsheet row (header = row 1) and the column. */
  readonly problems: FieldProblem[];
}

export function signalsFromCsv(text: string): CsvImport {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const problems: FieldProblem[] = [];
  const missing = [...REQUIRED].filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length) return { signals: [], problems: [{ path: 'header', message: `missing column(s) ${missing.join(', ')} (expected ${CSV_COLUMNS.join(', ')})` }] };
  for (const e of parsed.errors) problems.push({ path: `row ${(e.row ?? 0) + 2}`, message: e.message });
  const signals: SignalConfig[] = [];
  parsed.data.forEach((row, i) => {
    const candidate: Record<string, unknown> = {};
    for (const c of CSV_COLUMNS) {
      const v = row[c]?.trim();
      // An empty optional cell means "the default"; an empty required one is reported as empty.
      if (v === undefined || (v === '' && !REQUIRED.has(c))) continue;
      candidate[c] = NUMERIC.has(c) ? Number(v) : v;
    }
    const r = SignalSchema.safeParse(candidate);
    if (r.success) signals.push(r.data);
    else for (const issue of r.error.issues) problems.push({ path: `row ${i + 2}, ${String(issue.path[0] ?? '')}`, message: issue.message });
  });
  return { signals, problems };
}

/** Imported signals replace same-named ones and are appended otherwise; the order of the rest is kept. */
export function mergeSignals(current: readonly SignalConfig[], incoming: readonly SignalConfig[]): SignalConfig[] {
  const byName = new Map(incoming.map((s) => [s.name, s]));
  const merged = current.map((s) => byName.get(s.name) ?? s);
  for (const s of incoming) if (!current.some((c) => c.name === s.name)) merged.push(s);
  return merged;
}
