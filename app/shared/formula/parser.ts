/**
 * Pratt parser: tokens → AST. Stops at the first syntax error (one clear message with a
 * position beats a cascade of guesses). Depth is bounded so no input can exhaust the stack.
 */
import type { BinaryOp, Node } from './ast';
import type { Token } from './lexer';
import { tokenize } from './lexer';
import type { FormulaDiagnostic } from './types';

// Binding powers, loosest first. `not` sits between `and` and comparisons (as in Python),
// so `not x > 5` means `not (x > 5)`; unary minus binds tighter than everything but `^`.
const INFIX: Readonly<Record<string, { bp: number; op: BinaryOp; right?: boolean }>> = {
  or: { bp: 1, op: 'or' },
  '||': { bp: 1, op: 'or' },
  and: { bp: 2, op: 'and' },
  '&&': { bp: 2, op: 'and' },
  '==': { bp: 4, op: '==' },
  '!=': { bp: 4, op: '!=' },
  '<': { bp: 5, op: '<' },
  '<=': { bp: 5, op: '<=' },
  '>': { bp: 5, op: '>' },
  '>=': { bp: 5, op: '>=' },
  '+': { bp: 6, op: '+' },
  '-': { bp: 6, op: '-' },
  '*': { bp: 7, op: '*' },
  '/': { bp: 7, op: '/' },
  '%': { bp: 7, op: '%' },
  '^': { bp: 9, op: '^', right: true },
};
const NOT_BP = 3;
const NEG_BP = 8;

class SyntaxFailure {
  constructor(readonly diagnostic: FormulaDiagnostic) {}
}

export type ParseResult = { ok: true; ast: Node } | { ok: false; diagnostics: FormulaDiagnostic[] };

export function parse(text: string, maxDepth: number): ParseResult {
  const tokens = tokenize(text, false);
  const lexErrors = tokens.filter((t) => t.kind === 'error');
  if (lexErrors.length > 0) {
    return { ok: false, diagnostics: lexErrors.map((t) => ({ severity: 'error', message: t.message ?? 'invalid token', start: t.start, end: t.end })) };
  }
  try {
    return { ok: true, ast: new Parser(tokens, maxDepth).parseFormula() };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, diagnostics: [e.diagnostic] };
    throw e;
  }
}

const depthOf = new WeakMap<Node, number>();

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly maxDepth: number,
  ) {}

  parseFormula(): Node {
    if (this.peek().kind === 'eof') this.fail('empty formula', this.peek());
    const node = this.expr(0);
    const rest = this.peek();
    if (rest.kind !== 'eof') this.fail(`unexpected ${describe(rest)} after the end of the expression`, rest);
    return node;
  }

  private peek(): Token {
    // The lexer always ends with eof, so clamping keeps peek total.
    return this.tokens[Math.min(this.pos, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private fail(message: string, at: { start: number; end: number }): never {
    throw new SyntaxFailure({ severity: 'error', message, start: at.start, end: Math.max(at.end, at.start) });
  }

  private tooDeep(at: { start: number; end: number }): never {
    this.fail(`formula nests deeper than ${this.maxDepth} levels (group long operator chains with parentheses)`, at);
  }

  /** Builds a node and enforces the depth limit on the tree itself (long left-assoc chains are deep too). */
  private node(n: Node, ...children: Node[]): Node {
    let d = 0;
    for (const c of children) d = Math.max(d, depthOf.get(c) ?? 1);
    // Binary nodes are blamed on their operator: that is where the chain got too long.
    if (d + 1 > this.maxDepth) this.tooDeep(n.type === 'binary' ? { start: n.opStart, end: n.opEnd } : n);
    depthOf.set(n, d + 1);
    return n;
  }

  private expr(minBp: number): Node {
    if (++this.depth > this.maxDepth) this.tooDeep(this.peek());
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      const info = (t.kind === 'operator' || t.kind === 'keyword') && Object.hasOwn(INFIX, t.text) ? INFIX[t.text] : undefined;
      if (!info || info.bp <= minBp) break;
      this.next();
      const right = this.expr(info.right ? info.bp - 1 : info.bp);
      left = this.node({ type: 'binary', op: info.op, left, right, opStart: t.start, opEnd: t.end, start: left.start, end: right.end }, left, right);
    }
    this.depth--;
    return left;
  }

  private prefix(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return this.node({ type: 'number', value: t.value ?? NaN, start: t.start, end: t.end });
      case 'duration':
        return this.node({ type: 'duration', ms: t.value ?? NaN, start: t.start, end: t.end });
      case 'length':
        return this.node({ type: 'length', metres: t.value ?? NaN, start: t.start, end: t.end });
      case 'bracket':
        return this.node({ type: 'signal', name: t.name ?? '', bracketed: true, start: t.start, end: t.end });
      case 'keyword':
        return this.keyword(t);
      case 'identifier':
        return this.node({ type: 'signal', name: t.text, bracketed: false, start: t.start, end: t.end });
      case 'function':
        return this.call(t);
      case 'operator':
        if (t.text === '-' || t.text === '+') {
          const operand = this.expr(NEG_BP);
          return this.node({ type: 'unary', op: t.text, operand, start: t.start, end: operand.end }, operand);
        }
        if (t.text === '!') return this.not(t);
        break;
      case 'paren':
        if (t.text === '(') {
          const inner = this.expr(0);
          this.expect(t, "expected ')'");
          // Parentheses widen the node's range so errors underline what the user wrote.
          return inner;
        }
        break;
      default:
        break;
    }
    if (t.kind === 'eof') this.fail('unexpected end of formula: an operand is missing', t);
    return this.fail(`unexpected ${describe(t)}: expected a number, a signal, a function call or '('`, t);
  }

  private keyword(t: Token): Node {
    switch (t.text) {
      case 'true':
      case 'false':
        return this.node({ type: 'bool', value: t.text === 'true', start: t.start, end: t.end });
      case 'pi':
        return this.node({ type: 'number', value: Math.PI, start: t.start, end: t.end });
      case 'e':
        return this.node({ type: 'number', value: Math.E, start: t.start, end: t.end });
      case 'not':
        return this.not(t);
      default:
        return this.fail(`unexpected '${t.text}': expected an operand`, t);
    }
  }

  private not(t: Token): Node {
    const operand = this.expr(NOT_BP);
    return this.node({ type: 'unary', op: 'not', operand, start: t.start, end: operand.end }, operand);
  }

  private call(nameTok: Token): Node {
    const open = this.next(); // '(' — guaranteed by the lexer's 'function' marking
    const args: Node[] = [];
    if (!(this.peek().kind === 'paren' && this.peek().text === ')')) {
      for (;;) {
        args.push(this.expr(0));
        const t = this.peek();
        if (t.kind === 'comma') {
          this.next();
          continue;
        }
        break;
      }
    }
    const close = this.expect(open, "expected ',' or ')'");
    return this.node({ type: 'call', name: nameTok.text, nameEnd: nameTok.end, args, start: nameTok.start, end: close.end }, ...args);
  }

  private expect(opener: Token, expected: string): Token {
    const t = this.peek();
    if (t.kind === 'paren' && t.text === ')') return this.next();
    if (t.kind === 'eof') this.fail(`missing ')' to close the '(' at ${opener.start}`, t);
    return this.fail(`${expected} but found ${describe(t)}`, t);
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of formula';
  return `'${t.text.length > 20 ? t.text.slice(0, 20) + '…' : t.text}'`;
}
