/**
 * A small unit algebra: a unit is a product of symbols with integer exponents
 * (m/min = m·min^-1). No conversions (min and s stay different symbols): the goal is to
 * say what unit a derived signal carries and to warn when added units differ.
 */

/** Symbol → non-zero integer exponent, in first-seen order. Dimensionless = empty. */
export type Unit = ReadonlyMap<string, number>;

export const DIMENSIONLESS: Unit = new Map();

const SUPERSCRIPT: Readonly<Record<string, string>> = { '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-' };
const cache = new Map<string, Unit>();

/** Parses 'm/min', 'kg·m/s^2', 'm³/h', '1/min', 'N.m'. Anything it cannot read becomes one opaque symbol. */
export function parseUnit(text: string | undefined): Unit {
  const s = (text ?? '').trim();
  if (s === '' || s === '1' || s === '-') return DIMENSIONLESS;
  const hit = cache.get(s);
  if (hit) return hit;
  const parsed = new UnitReader(s).read() ?? new Map([[s, 1]]);
  if (cache.size < 1000) cache.set(s, parsed);
  return parsed;
}

class UnitReader {
  private i = 0;
  constructor(private readonly s: string) {}

  read(): Unit | undefined {
    const u = this.product();
    return u && this.i === this.s.length ? u : undefined;
  }

  private product(): Map<string, number> | undefined {
    let acc = this.factor();
    if (!acc) return undefined;
    for (;;) {
      this.skipSpaces();
      const c = this.s[this.i];
      let sign = 1;
      if (c === '*' || c === '·' || c === '.' || c === '⋅') this.i++;
      else if (c === '/') {
        sign = -1;
        this.i++;
      } else if (c === undefined || c === ')') return acc;
      // A bare space also multiplies ('N m').
      const f = this.factor();
      if (!f) return undefined;
      acc = combine(acc, f, sign);
    }
  }

  private factor(): Map<string, number> | undefined {
    this.skipSpaces();
    let base: Map<string, number>;
    if (this.s[this.i] === '(') {
      this.i++;
      const inner = this.product();
      if (!inner || this.s[this.i] !== ')') return undefined;
      this.i++;
      base = inner;
    } else if (this.s[this.i] === '1') {
      this.i++;
      base = new Map();
    } else {
      const m = /^[^\s*·⋅./()^0-9⁰¹²³⁴⁵⁶⁷⁸⁹⁻+-]+/u.exec(this.s.slice(this.i));
      if (!m) return undefined;
      this.i += m[0].length;
      base = new Map([[m[0], 1]]);
    }
    const exp = this.exponent();
    if (exp === undefined) return undefined;
    return exp === 1 ? base : scale(base, exp);
  }

  private exponent(): number | undefined {
    const rest = this.s.slice(this.i);
    const m = /^(?:\^\s*(-?\d+)|([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(-?\d+))/u.exec(rest);
    if (!m) return 1;
    this.i += m[0].length;
    const digits = m[1] ?? m[3] ?? [...(m[2] ?? '')].map((c) => SUPERSCRIPT[c] ?? '').join('');
    const n = Number(digits);
    return Number.isInteger(n) && n !== 0 ? n : undefined;
  }

  private skipSpaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}

function combine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, sign: number): Map<string, number> {
  const out = new Map(a);
  for (const [sym, e] of b) {
    const v = (out.get(sym) ?? 0) + sign * e;
    if (v === 0) out.delete(sym);
    else out.set(sym, v);
  }
  return out;
}

function scale(u: ReadonlyMap<string, number>, k: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [sym, e] of u) out.set(sym, e * k);
  return out;
}

export const mulUnit = (a: Unit, b: Unit): Unit => combine(a, b, 1);
export const divUnit = (a: Unit, b: Unit): Unit => combine(a, b, -1);

/** u^k for integer k; a non-integer power of a dimensional unit has no symbol form → dimensionless. */
export function powUnit(u: Unit, k: number): Unit {
  if (u.size === 0 || k === 0) return DIMENSIONLESS;
  return Number.isInteger(k) ? scale(u, k) : rootUnit(u, 1 / k);
}

/** The n-th root: exponents divided by n when they all divide evenly, else dimensionless. */
export function rootUnit(u: Unit, n: number): Unit {
  if (!Number.isInteger(n) || n === 0) return DIMENSIONLESS;
  for (const e of u.values()) if (e % n !== 0) return DIMENSIONLESS;
  return scale(u, 1 / n);
}

export function unitsEqual(a: Unit, b: Unit): boolean {
  if (a.size !== b.size) return false;
  for (const [sym, e] of a) if (b.get(sym) !== e) return false;
  return true;
}

export const isDimensionless = (u: Unit): boolean => u.size === 0;

/** Canonical text: 'm', 'm/s^2', 'kg·m/s^2', 'm/(min·s)', '1/s', '' (dimensionless). */
export function formatUnit(u: Unit): string {
  const num: string[] = [];
  const den: string[] = [];
  for (const [sym, e] of u) {
    if (e > 0) num.push(e === 1 ? sym : `${sym}^${e}`);
    else den.push(e === -1 ? sym : `${sym}^${-e}`);
  }
  const top = num.length > 0 ? num.join('·') : den.length > 0 ? '1' : '';
  if (den.length === 0) return top;
  return `${top}/${den.length === 1 ? den[0]! : `(${den.join('·')})`}`;
}

/** Unit text for messages: dimensionless shows as '1' so "adding m and 1" reads clearly. */
export const showUnit = (u: Unit): string => formatUnit(u) || '1';
