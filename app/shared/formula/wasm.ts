/**
 * The smallest WebAssembly binary writer fused.ts needs: one module that imports a memory
 * and exports one function `run(n: i32)`. No library does "emit a tiny module from our own
 * AST" without pulling in a compiler toolchain, and the format is small and stable
 * (https://webassembly.github.io/spec/core/binary/). Only the opcodes below are ever
 * written; user text never reaches this file, only numbers and operators from the AST.
 */

export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  i32Store: 0x36,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Ceil: 0x9b,
  f64Floor: 0x9c,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
  i32TruncF64S: 0xaa,
  f64ConvertI32S: 0xb7,
  f64ConvertI32U: 0xb8,
} as const;

const I32 = 0x7f;
const F64 = 0x7c;
const VOID_BLOCK = 0x40;

/** Unsigned LEB128. */
export function uleb(n: number, out: number[] = []): number[] {
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of an int32. */
export function sleb(n: number, out: number[] = []): number[] {
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Function body code, appended op by op. */
export class Code {
  readonly bytes: number[] = [];

  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }

  local(op: number, index: number): this {
    this.bytes.push(op);
    uleb(index, this.bytes);
    return this;
  }

  i32(v: number): this {
    this.bytes.push(OP.i32Const);
    sleb(v, this.bytes);
    return this;
  }

  f64(v: number): this {
    this.bytes.push(OP.f64Const);
    const b = new Uint8Array(new Float64Array([v]).buffer);
    for (const x of b) this.bytes.push(x);
    return this;
  }

  /** Load or store of an f64 (8-byte aligned) or i32 (4-byte aligned) at (address on the stack) + offset. */
  mem(op: typeof OP.f64Load | typeof OP.f64Store | typeof OP.i32Load | typeof OP.i32Store, offset: number): this {
    this.bytes.push(op, op === OP.f64Load || op === OP.f64Store ? 3 : 2);
    uleb(offset, this.bytes);
    return this;
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/**
 * A module importing memory `e.m` (`pages` pages of 64 KiB) and exporting `run(n: i32)`,
 * whose locals are n (0), two i32 (1, 2), `f64Locals` f64 (from 3) and `i32Locals` more
 * i32 (from 3 + f64Locals).
 */
export function moduleBytes(pages: number, f64Locals: number, i32Locals: number, body: Code): Uint8Array<ArrayBuffer> {
  const type = section(1, [1, 0x60, 1, I32, 0]);
  const imports = section(2, [1, ...name('e'), ...name('m'), 0x02, 0x00, ...uleb(pages)]);
  const funcs = section(3, [1, 0]);
  const exports = section(7, [1, ...name('run'), 0x00, 0]);
  const groups: number[][] = [[...uleb(2), I32]];
  if (f64Locals > 0) groups.push([...uleb(f64Locals), F64]);
  if (i32Locals > 0) groups.push([...uleb(i32Locals), I32]);
  const locals = [...uleb(groups.length), ...groups.flat()];
  const fn = [...locals, ...body.bytes, OP.end];
  const code = section(10, [1, ...uleb(fn.length), ...fn]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

export { VOID_BLOCK };
