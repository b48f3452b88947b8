/** The one table of library functions: the checker resolves names here, the editor lists FUNCTION_LIBRARY. */
import type { FunctionDef } from './lib/define';
import { LOGIC } from './lib/logic';
import { MATH } from './lib/math';
import { PLC } from './lib/plc';
import { ROLLING } from './lib/rolling';
import { SIGNAL } from './lib/signal';
import { STATS } from './lib/stats';
import { TIME } from './lib/time';
import { WINDOW } from './lib/window';
import type { FunctionDoc } from './types';

const ALL: readonly FunctionDef[] = [...MATH, ...STATS, ...WINDOW, ...ROLLING, ...LOGIC, ...SIGNAL, ...TIME, ...PLC];

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(ALL.map((f) => [f.name, f]));

/** Editor-facing view: documentation only, no implementation. */
export const FUNCTION_LIBRARY: readonly FunctionDoc[] = Object.freeze(
  ALL.map(({ name, signature, description, example, category, unitRule }) => Object.freeze({ name, signature, description, example, category, unitRule })),
);

/** Closest known name for "did you mean" hints: same name ignoring case/underscores, else a shared prefix. */
export function suggestFunction(name: string): string | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/_/g, '');
  const n = norm(name);
  for (const f of ALL) if (norm(f.name) === n) return f.name;
  for (const f of ALL) if (n.length >= 3 && norm(f.name).startsWith(n.slice(0, 3))) return f.name;
  return undefined;
}
