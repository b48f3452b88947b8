/**
 * Form fields derived from a contract schema (zod → JSON Schema), so the forms the UI shows
 * are the rules the engine validates with. Pure, tested without a browser.
 */
import { z } from 'zod';

export type FieldKind = 'text' | 'password' | 'number' | 'boolean' | 'select' | 'json';

export interface FormField {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly options?: readonly (string | number)[];
  readonly default?: unknown;
  readonly fixed?: unknown;
}

interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: (string | number)[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

const LABELS: Record<string, string> = {
  unitId: 'Unit id',
  timeoutMs: 'Timeout (ms)',
  endpointUrl: 'Endpoint URL',
  securityMode: 'Security mode',
  securityPolicy: 'Security policy',
  protocolVersion: 'MQTT version',
  clientId: 'Client id',
  ca: 'CA certificate (PEM)',
  rejectUnauthorized: 'Check broker certificate',
  timestampSource: 'Sample time from',
  bindHost: 'Listen on',
  staleAfterMs: 'Stale after (ms)',
};

function label(key: string): string {
  return LABELS[key] ?? key.charAt(0).toUpperCase() + key.slice(1).replace(/([A-Z])/g, ' $1').toLowerCase();
}

function field(key: string, s: JsonSchema, required: boolean): FormField {
  const base = { key, label: label(key), required, default: s.default };
  if (s.const !== undefined) return { ...base, kind: 'text', fixed: s.const };
  if (s.enum) return { ...base, kind: 'select', options: s.enum };
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.every((a) => a.const !== undefined)) return { ...base, kind: 'select', options: alternatives.map((a) => a.const as string | number) };
  if (alternatives || s.type === 'object') return { ...base, kind: 'json' };
  if (s.type === 'integer' || s.type === 'number') return { ...base, kind: 'number' };
  if (s.type === 'boolean') return { ...base, kind: 'boolean' };
  return { ...base, kind: key.toLowerCase().includes('password') ? 'password' : 'text' };
}

export function formFields(schema: z.ZodType): FormField[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, s]) => field(key, s, required.has(key)));
}

/** Defaults of every field, for a new item. */
export function initialValues(fields: readonly FormField[]): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.fixed !== undefined) v[f.key] = f.fixed;
    else if (f.default !== undefined) v[f.key] = f.default;
  }
  return v;
}

/** Problems by field key, from a schema check: what the engine would say, shown where it applies. */
export function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const r = schema.safeParse(value);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? '');
    out[key] ??= issue.message;
  }
  return out;
}
