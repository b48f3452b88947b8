/**
 * The simulated controller's tags: one controller tag per demo signal (written from the
 * strip-line model at every scan), a program-scoped scan counter `Program:Main.Count`,
 * a REAL[10] array and one tag of each atomic type. Names follow Logix rules and, like
 * Logix, are looked up case-insensitively. The map is documented in
 * resources/demo-line/enip-map.md.
 */
import type { LineState } from '../line-model';
import { DEMO_SIGNALS } from '../demo-signals';
import { CipType, encodeAtomic, type AtomicType } from '../../drivers/enip/atomic';
import { Status } from '../../drivers/enip/cip';
import type { PathSegment } from '../../drivers/enip/epath';
import { PROGRAM_SYMBOL_TYPE, SymbolTypeBits, type SymbolEntry } from '../../drivers/enip/symbols';

export interface SimTag {
  readonly name: string;
  readonly type: AtomicType;
  /** Array length, or 0 for a scalar. */
  readonly length: number;
  readonly values: number[];
  /** Where a model-driven tag takes its value at each scan; written values are overwritten then, like a PLC rung would. */
  readonly source?: (s: LineState, element: number) => number;
}

export type Resolved = { readonly tag: SimTag; readonly index: number } | { readonly status: number; readonly extended: readonly number[] };

export const PROGRAM = 'Main';
export const PROFILE_POINTS = 32;

/** "Line Speed" → "LineSpeed": the demo signal's name as a Logix tag. */
export function tagNameOf(signalName: string): string {
  return signalName.replace(/[^A-Za-z0-9]/g, '');
}

function tag(name: string, type: AtomicType, values: number[], length = 0, source?: (s: LineState, element: number) => number): SimTag {
  return source ? { name, type, length, values, source } : { name, type, length, values };
}

export function demoTags(): { controller: SimTag[]; program: SimTag[] } {
  const controller: SimTag[] = DEMO_SIGNALS.map((s) => {
    const type: AtomicType = s.key === 'coilId' ? 'DINT' : s.key === 'weldSeam' || s.key === 'tensionHighAlarm' ? 'BOOL' : 'REAL';
    return tag(tagNameOf(s.name), type, [0], 0, (st) => Number(st[s.key]));
  });
  controller.push(
    tag('Arr', 'REAL', Array.from({ length: 10 }, (_, i) => i + 0.5), 10),
    tag('BoolTag', 'BOOL', [1]),
    tag('SintTag', 'SINT', [-12]),
    tag('IntTag', 'INT', [-1234]),
    tag('DintTag', 'DINT', [123456789]),
    tag('LintTag', 'LINT', [1234567890123]),
    tag('RealTag', 'REAL', [3.25]),
    // Gauge reading across the strip width: crowned, centre thicker than the edges, following the exit gauge.
    tag('ThicknessProfile', 'REAL', new Array<number>(PROFILE_POINTS).fill(0), PROFILE_POINTS, (st, i) => st.thicknessDeviation + 8 * (1 - ((i - (PROFILE_POINTS - 1) / 2) / (PROFILE_POINTS / 2)) ** 2)),
  );
  return { controller, program: [tag('Count', 'DINT', [0])] };
}

export class LogixTags {
  private readonly controller = new Map<string, SimTag>();
  private readonly program = new Map<string, SimTag>();
  private readonly order: SimTag[];
  private readonly programOrder: SimTag[];

  constructor(private readonly line: () => LineState) {
    const { controller, program } = demoTags();
    for (const t of controller) this.controller.set(t.name.toLowerCase(), t);
    for (const t of program) this.program.set(t.name.toLowerCase(), t);
    this.order = controller;
    this.programOrder = program;
  }

  /** One controller scan: model tags take the line's state, the scan counter counts. */
  scan(): void {
    const state = this.line();
    for (const t of this.order) {
      if (!t.source) continue;
      for (let i = 0; i < Math.max(1, t.length); i++) t.values[i] = t.source(state, i);
    }
    const count = this.program.get('count') as SimTag;
    count.values[0] = ((count.values[0] ?? 0) + 1) | 0;
  }

  resolve(path: readonly PathSegment[]): Resolved {
    let i = 0;
    let scope = this.controller;
    const first = path[0];
    if (first?.kind === 'symbol' && /^program:/i.test(first.name)) {
      if (first.name.slice(8).toLowerCase() !== PROGRAM.toLowerCase()) return { status: Status.pathDestinationUnknown, extended: [] };
      scope = this.program;
      i = 1;
    }
    const name = path[i];
    if (name?.kind !== 'symbol') return { status: Status.pathSegmentError, extended: [] };
    const t = scope.get(name.name.toLowerCase());
    if (!t) return { status: Status.pathDestinationUnknown, extended: [] };
    const rest = path.slice(i + 1);
    if (rest.length === 0) return { tag: t, index: 0 };
    const [element, ...more] = rest;
    // No UDTs here: a member of an atomic tag does not exist.
    if (element?.kind === 'symbol') return { status: Status.pathDestinationUnknown, extended: [] };
    if (element?.kind !== 'element' || more.length > 0 || t.length === 0) return { status: Status.pathSegmentError, extended: [] };
    if (element.value >= t.length) return { status: Status.generalError, extended: [0x2105] };
    return { tag: t, index: element.value };
  }

  /** Bytes of `count` elements from `index`, as Read Tag sends them after the type code. */
  encode(t: SimTag, index: number, count: number): Buffer {
    return encodeAtomic(t.type, t.values.slice(index, index + count));
  }

  elementsLeft(t: SimTag, index: number): number {
    return Math.max(1, t.length) - index;
  }

  write(t: SimTag, index: number, values: readonly number[]): void {
    values.forEach((v, k) => (t.values[index + k] = t.type === 'BOOL' ? (v ? 1 : 0) : v));
  }

  /** The Symbol object's instances: controller scope lists the program as `Program:Main`. */
  symbols(program: string | null): SymbolEntry[] | null {
    if (program !== null && program.toLowerCase() !== `program:${PROGRAM.toLowerCase()}`) return null;
    const list = program === null ? this.order : this.programOrder;
    const entries: SymbolEntry[] = list.map((t, k) => ({
      instance: k + 1,
      name: t.name,
      type: CipType[t.type] | (t.length ? 1 << SymbolTypeBits.dimsShift : 0),
      dims: [t.length, 0, 0],
    }));
    if (program === null) entries.push({ instance: entries.length + 1, name: `Program:${PROGRAM}`, type: PROGRAM_SYMBOL_TYPE, dims: [0, 0, 0] });
    return entries;
  }
}
