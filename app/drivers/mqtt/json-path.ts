/**
 * The JSONPath subset an MQTT signal address may use after `@`: `$.a.b`, `$.a[0].b`,
 * `$['key with space']`, `$["x"]`. Enough to point at one value in a device's JSON
 * document; no filters, slices or wildcards, because a signal is one value. A hand-written
 * parser and walker — nothing is ever evaluated as code.
 */
import { err, ok, parxError, type Result } from '../../shared/result';

/** A key of an object, or an index into an array. */
export type PathSegment = string | number;

const MAX_PATH_LENGTH = 200;
/** Keys that need no quoting in `$.key` form when formatting. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Characters that end an unquoted `.key`. */
const KEY_END = new Set(['.', '[', ']', "'", '"', ' ', '\t', '\n', '\r']);

function fail(text: string, position: number, why: string): Result<never> {
  return err(parxError('invalid-request', `JSON path "${text}": ${why} at character ${position + 1}`, { position }));
}

export function parseJsonPath(text: string): Result<PathSegment[]> {
  if (text.length > MAX_PATH_LENGTH) return err(parxError('invalid-request', `JSON path is longer than ${MAX_PATH_LENGTH} characters`));
  if (text[0] !== '$') return fail(text, 0, 'must start with $ (e.g. $.line.speed)');
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const start = ++i;
      while (i < text.length && !KEY_END.has(text[i] as string)) i++;
      if (i === start) return fail(text, start, 'expected a key after "."');
      segments.push(text.slice(start, i));
    } else if (c === '[') {
      i++;
      const q = text[i];
      if (q === "'" || q === '"') {
        let key = '';
        i++;
        for (;;) {
          if (i >= text.length) return fail(text, i, `unterminated quoted key (missing ${q})`);
          const ch = text[i] as string;
          if (ch === '\\') {
            const next = text[i + 1];
            if (next === undefined) return fail(text, i, 'dangling backslash');
            key += next;
            i += 2;
          } else if (ch === q) {
            i++;
            break;
          } else {
            key += ch;
            i++;
          }
        }
        segments.push(key);
      } else {
        const start = i;
        while (i < text.length && (text[i] as string) >= '0' && (text[i] as string) <= '9') i++;
        if (i === start) return fail(text, start, "expected an index or a quoted key after \"[\" (e.g. [0] or ['name'])");
        const index = Number(text.slice(start, i));
        if (!Number.isSafeInteger(index)) return fail(text, start, 'index too large');
        segments.push(index);
      }
      if (text[i] !== ']') return fail(text, i, 'expected "]"');
      i++;
    } else {
      return fail(text, i, `unexpected "${c}" (expected . or [)`);
    }
  }
  return ok(segments);
}

export function formatJsonPath(path: readonly PathSegment[]): string {
  let out = '$';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (PLAIN_KEY.test(s)) out += `.${s}`;
    else out += `['${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

export type PathLookup = { readonly found: true; readonly value: unknown; readonly parent: unknown } | { readonly found: false; readonly at: string; readonly missing: PathSegment };

/** Walks a parsed JSON document. Own properties only, so `__proto__` or `constructor` never reach the prototype. */
export function lookupPath(doc: unknown, path: readonly PathSegment[]): PathLookup {
  let here: unknown = doc;
  let parent: unknown = undefined;
  for (let i = 0; i < path.length; i++) {
    const s = path[i] as PathSegment;
    let next: unknown;
    let has = false;
    if (typeof s === 'number') {
      has = Array.isArray(here) && s < here.length;
      if (has) next = (here as unknown[])[s];
    } else if (typeof here === 'object' && here !== null && !Array.isArray(here)) {
      has = Object.hasOwn(here, s);
      if (has) next = (here as Record<string, unknown>)[s];
    }
    if (!has) return { found: false, at: formatJsonPath(path.slice(0, i)), missing: s };
    parent = here;
    here = next;
  }
  return { found: true, value: here, parent };
}

export interface JsonLeaf {
  readonly path: string;
  readonly value: number | boolean;
}

/** Numeric and boolean leaves of a document, for browsing; bounded so a huge document cannot stall the worker. */
export function numericLeaves(doc: unknown, limit = 200, maxDepth = 8): JsonLeaf[] {
  const out: JsonLeaf[] = [];
  const walk = (v: unknown, path: PathSegment[]): void => {
    if (out.length >= limit) return;
    if (typeof v === 'number' || typeof v === 'boolean') {
      if (path.length > 0) out.push({ path: formatJsonPath(path), value: v });
      return;
    }
    if (typeof v !== 'object' || v === null || path.length >= maxDepth) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(doc, []);
  return out;
}
