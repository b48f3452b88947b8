/**
 * Logix tag addresses: `Temp`, `Program:Main.Count`, `Arr[2]`, `Grid[1,2]`,
 * `Motor.Speed`, `Status.3` (bit 3 of an integer). Checked with the same rules the
 * controller and the ethernet-ip library apply (names ≤ 40 characters, letters, digits
 * and single underscores, not ending in one), so an accepted address is always one the
 * client can send.
 */
import { err, ok, parxError, type Result } from '../../shared/result';
import type { PathSegment } from './epath';

export interface EnipAddress {
  /** The address as written, the tag name the client sends. */
  readonly tag: string;
  readonly program: string | null;
  readonly path: readonly PathSegment[];
  /** Bit of an integer tag (`Status.3`), or null. */
  readonly bit: number | null;
}

const NAME = /^(?:_?[A-Za-z]|_\d)(?:_?[A-Za-z0-9])*$/;
const MAX_NAME = 40;
const MAX_INDEX = 0xffffffff;

function bad(text: string, why: string): Result<never> {
  return err(parxError('invalid-request', `"${text}" is not a Logix tag address: ${why} (e.g. Temp, Program:Main.Count, Arr[2])`));
}

function checkName(text: string, name: string): string | null {
  if (name.length === 0) return 'a name is empty';
  if (name.length > MAX_NAME) return `"${name}" is longer than ${MAX_NAME} characters`;
  if (!NAME.test(name)) return `"${name}" must start with a letter or underscore, use letters, digits and single underscores, and not end in _`;
  return null;
}

export function parseEnipAddress(input: string): Result<EnipAddress> {
  const text = input.trim();
  if (text.length === 0) return bad(input, 'it is empty');
  if (text.length > 400) return bad(`${text.slice(0, 40)}…`, 'it is too long');
  let rest = text;
  let program: string | null = null;
  const path: PathSegment[] = [];
  const prog = /^Program:([^.]*)\./.exec(rest);
  if (prog) {
    program = prog[1] ?? '';
    const why = checkName(text, program);
    if (why) return bad(text, why);
    path.push({ kind: 'symbol', name: `Program:${program}` });
    rest = rest.slice(prog[0].length);
  } else if (/^Program:/.test(rest)) {
    return bad(text, 'a program-scoped tag is Program:<program>.<tag>');
  }
  const parts = rest.split('.');
  let bit: number | null = null;
  const last = parts[parts.length - 1] ?? '';
  if (parts.length > 1 && /^\d{1,2}$/.test(last)) {
    bit = Number(last);
    if (bit > 31) return bad(text, `bit ${bit} is beyond 31`);
    parts.pop();
  }
  for (let i = 0; i < parts.length; i++) {
    const m = /^([^[\]]*)(?:\[([^\]]*)\])?$/.exec(parts[i] as string);
    if (!m) return bad(text, `"${parts[i]}" has a misplaced [ or ]`);
    const why = checkName(text, m[1] ?? '');
    if (why) return bad(text, why);
    path.push({ kind: 'symbol', name: m[1] as string });
    if (m[2] === undefined) continue;
    const indices = m[2].split(',');
    if (indices.length > (i === 0 ? 3 : 1)) return bad(text, i === 0 ? 'arrays have at most 3 dimensions' : 'a member takes one index');
    for (const ix of indices) {
      if (!/^\d{1,10}$/.test(ix) || Number(ix) > MAX_INDEX) return bad(text, `index "${ix}" is not a whole number 0..${MAX_INDEX}`);
      path.push({ kind: 'element', value: Number(ix) });
    }
  }
  return ok({ tag: text, program, path, bit });
}
