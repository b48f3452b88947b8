/** AST produced by the parser. Every node carries its source range [start, end). */

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';
export type UnaryOp = '-' | '+' | 'not';

interface Range {
  start: number;
  end: number;
}

export type Node =
  | (Range & { type: 'number'; value: number })
  | (Range & { type: 'duration'; ms: number })
  | (Range & { type: 'length'; metres: number })
  | (Range & { type: 'bool'; value: boolean })
  /** A signal reference; `bracketed` keeps the raw `[...]` form because the checker may read it as a list. */
  | (Range & { type: 'signal'; name: string; bracketed: boolean })
  | (Range & { type: 'unary'; op: UnaryOp; operand: Node })
  | (Range & { type: 'binary'; op: BinaryOp; left: Node; right: Node; opStart: number; opEnd: number })
  | (Range & { type: 'call'; name: string; nameEnd: number; args: Node[] });
