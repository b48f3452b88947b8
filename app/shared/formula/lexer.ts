/**
 * Lexer: text → tokens with ranges. Total by design (never throws): bad input becomes
 * an `error` token so the editor can still highlight the rest and the parser can
 * report a position.
 */

export type TokenKind =
  | 'number' // 1, 2.5, 1e-3
  | 'duration' // 5s, 200ms, 2min, 1h — value in ms
  | 'length' // 10m, 5mm, 2km — value in metres
  | 'identifier' // signal name or keyword-free word
  | 'function' // identifier directly followed by '(' (editor hint; the parser treats it like identifier)
  | 'keyword' // and or not true false pi e
  | 'bracket' // [ ... ] — a quoted signal name, or a list where the function expects one
  | 'operator'
  | 'paren'
  | 'comma'
  | 'comment'
  | 'error'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  start: number;
  end: number;
  /** number: value; duration: milliseconds; length: metres. */
  value?: number;
  /** bracket: content with `]]` unescaped. */
  name?: string;
  /** error: what is wrong. */
  message?: string;
}

export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'true', 'false', 'pi', 'e']);

const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
const LENGTH_M: Readonly<Record<string, number>> = { mm: 0.001, cm: 0.01, m: 1, km: 1000 };

const TWO_CHAR_OPS = new Set(['<=', '>=', '==', '!=', '&&', '||']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '%', '^', '<', '>', '!']);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
// Unicode letters are accepted in bare names too; brackets are only needed for spaces, dots and the like.
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;

/** Splits text into tokens. With `keepComments` false (the parser's view) comments are dropped. */
export function tokenize(text: string, keepComments = true): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const push = (kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}): void => {
    out.push({ kind, text: text.slice(start, end), start, end, ...extra });
  };
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      if (keepComments) push('comment', start, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        push('error', start, n, { message: 'unterminated comment: missing */' });
        i = n;
      } else {
        i = close + 2;
        if (keepComments) push('comment', start, i);
      }
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      i = lexNumber(text, i, push);
      continue;
    }
    if (IDENT_START.test(c)) {
      i++;
      while (i < n && IDENT_PART.test(text[i]!)) i++;
      const word = text.slice(start, i);
      push(KEYWORDS.has(word) ? 'keyword' : 'identifier', start, i);
      continue;
    }
    if (c === '[') {
      i = lexBracket(text, i, push);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      push('operator', start, i + 2);
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      push('operator', start, ++i);
      continue;
    }
    if (c === '(' || c === ')') {
      push('paren', start, ++i);
      continue;
    }
    if (c === ',') {
      push('comma', start, ++i);
      continue;
    }
    // Surrogate pairs stay one error token so ranges never split a character.
    const width = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    const message = c === '=' ? "unexpected '=': use '==' to compare" : c === ']' ? "unexpected ']'" : `unexpected character '${text.slice(i, i + width)}'`;
    push('error', start, (i += width), { message });
  }
  markFunctions(out);
  out.push({ kind: 'eof', text: '', start: n, end: n });
  return out;
}

type Push = (kind: TokenKind, start: number, end: number, extra?: Partial<Token>) => void;

function lexNumber(text: string, i: number, push: Push): number {
  const start = i;
  const n = text.length;
  while (i < n && isDigit(text[i]!)) i++;
  if (text[i] === '.') {
    i++;
    while (i < n && isDigit(text[i]!)) i++;
  }
  // An exponent only when digits follow, so `2e` is reported as a bad suffix rather than silently eaten.
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (isDigit(text[j] ?? '')) {
      i = j;
      while (i < n && isDigit(text[i]!)) i++;
    }
  }
  const numEnd = i;
  const value = Number(text.slice(start, numEnd));
  if (i < n && IDENT_START.test(text[i]!)) {
    while (i < n && IDENT_PART.test(text[i]!)) i++;
    const suffix = text.slice(numEnd, i);
    const ms = DURATION_MS[suffix];
    const metres = LENGTH_M[suffix];
    if (ms !== undefined) push('duration', start, i, { value: value * ms });
    else if (metres !== undefined) push('length', start, i, { value: value * metres });
    else push('error', start, i, { message: `unknown unit suffix '${suffix}' (durations: ms, s, min, h; lengths: mm, cm, m, km)` });
    return i;
  }
  push('number', start, i, { value });
  return i;
}

function lexBracket(text: string, i: number, push: Push): number {
  const start = i;
  let name = '';
  i++;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ']') {
      if (text[i + 1] === ']') {
        name += ']';
        i += 2;
        continue;
      }
      push('bracket', start, i + 1, { name });
      return i + 1;
    }
    name += c;
    i++;
  }
  push('error', start, text.length, { message: "unterminated '[': missing ']'" });
  return text.length;
}

/** Marks identifiers followed by '(' (comments between are skipped) as function names. */
function markFunctions(tokens: Token[]): void {
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.kind !== 'identifier') continue;
    let j = k + 1;
    while (tokens[j]?.kind === 'comment') j++;
    const next = tokens[j];
    if (next && next.kind === 'paren' && next.text === '(') tok.kind = 'function';
  }
}
