/**
 * Conditions, edges and small state machines (the things PLC engineers build from
 * flip-flops and timers). Booleans are numbers: non-zero = true, 0 = false, NaN =
 * unknown. Stateful functions keep their state across a NaN (a gap is not an event).
 */
import type { BuildContext, Kernel } from '../kernel';
import { GAP, map3 } from '../kernel';
import { stateful1, stateful2, stateful3 } from '../stateful';
import type { ArgValue, FunctionDef, ParamSpec } from './define';
import { NONE, matchingThenNone, matchingUnits, noUnit, secondsArg, series } from './define';

const ifLoop = (c: Float64Array, a: Float64Array, b: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const k = c[i]!;
    if (k !== k) o[i] = GAP[0]!;
    else if (k !== 0) o[i] = a[i]!;
    else o[i] = b[i]!;
  }
};

const betweenLoop = (x: Float64Array, lo: Float64Array, hi: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const l = lo[i]!;
    const h = hi[i]!;
    if (v !== v || l !== l || h !== h) o[i] = GAP[0]!;
    else o[i] = v >= l && v <= h ? 1 : 0;
  }
};

interface Edge {
  /** Truthiness of the last valid sample (NaN before the first). */
  prev: number;
  count: number;
  /** +1 rising, -1 falling. */
  dir: number;
  counting: boolean;
}

/** Edges: the first valid sample has no predecessor, so no edge; NaN samples are no event. */
function edgeLoop(a: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: Edge): void {
  const { dir, counting } = st;
  let prev = st.prev;
  let count = st.count;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (v !== v) {
      out[i] = counting ? count : 0;
      continue;
    }
    const cur = v !== 0 ? 1 : 0;
    const edge = prev === prev && cur - prev === dir ? 1 : 0;
    prev = cur;
    count += edge;
    out[i] = counting ? count : edge;
  }
  st.prev = prev;
  st.count = count;
}

const edges =
  (dir: 1 | -1, counting: boolean) =>
  (args: readonly ArgValue[], ctx: BuildContext): Kernel =>
    stateful1(series(args, 0, ctx), { prev: NaN, count: 0, dir, counting }, edgeLoop);

interface Held {
  state: number;
}

function hysteresisLoop(x: Float64Array, lo: Float64Array, hi: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: Held): void {
  let state = st.state;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v >= hi[i]!) state = 1;
    else if (v <= lo[i]!) state = 0;
    out[i] = state;
  }
  st.state = state;
}

function latchLoop(set: Float64Array, reset: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: Held): void {
  let state = st.state;
  for (let i = 0; i < n; i++) {
    const r = reset[i]!;
    const s = set[i]!;
    if (r !== 0 && r === r) state = 0;
    else if (s !== 0 && s === s) state = 1;
    out[i] = state;
  }
  st.state = state;
}

function trackLoop(x: Float64Array, cond: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: Held): void {
  let held = st.state;
  for (let i = 0; i < n; i++) {
    const k = cond[i]!;
    if (k !== 0 && k === k) held = x[i]!;
    out[i] = held;
  }
  st.state = held;
}

function fillLoop(x: Float64Array, out: Float64Array, n: number, _t: Float64Array, st: Held): void {
  let held = st.state;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v === v) held = v;
    out[i] = held;
  }
  st.state = held;
}

interface Debounce {
  state: number;
  candidate: number;
  since: number;
  holdMs: number;
}

function debounceLoop(x: Float64Array, out: Float64Array, n: number, T: Float64Array, st: Debounce): void {
  const holdMs = st.holdMs;
  let { state, candidate, since } = st;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v === v) {
      const cur = v !== 0 ? 1 : 0;
      const t = T[i]!;
      if (state !== state) state = cur;
      else if (cur === state) candidate = -1;
      else {
        if (candidate !== cur) {
          candidate = cur;
          since = t;
        }
        if (t - since >= holdMs) {
          state = cur;
          candidate = -1;
        }
      }
    }
    out[i] = state;
  }
  st.state = state;
  st.candidate = candidate;
  st.since = since;
}

const X: ParamSpec[] = [{ name: 'x', kind: 'series' }];
const S3 = (a: string, b: string, c: string): ParamSpec[] => [
  { name: a, kind: 'series' },
  { name: b, kind: 'series' },
  { name: c, kind: 'series' },
];

export const LOGIC: readonly FunctionDef[] = [
  {
    name: 'if',
    signature: 'if(cond, a, b)',
    pure: 'if',
    description: 'a where cond is true (non-zero), b where it is false, NaN where cond is NaN. Both branches are evaluated on every sample, so stateful functions inside them see all data.',
    example: 'if(Speed > 0.5, Tension / Speed, 0)',
    category: 'logic',
    unitRule: 'unit of a (warning if a and b differ)',
    params: S3('cond', 'a', 'b'),
    // Only the branches need matching units; the condition is a boolean.
    unit: (args, ctx) => matchingUnits('if()')(args.slice(1), { warn: (m, i) => ctx.warn(m, i === undefined ? undefined : i + 1) }),
    make: (args, ctx) => map3(series(args, 0, ctx), series(args, 1, ctx), series(args, 2, ctx), ifLoop),
  },
  {
    name: 'between',
    signature: 'between(x, lo, hi)',
    description: '1 where lo ≤ x ≤ hi, else 0 (NaN if any is NaN).',
    example: 'between(Strip_Temp, 850, 900)',
    category: 'logic',
    unitRule: NONE,
    params: S3('x', 'lo', 'hi'),
    unit: matchingThenNone('between()'),
    make: (args, ctx) => map3(series(args, 0, ctx), series(args, 1, ctx), series(args, 2, ctx), betweenLoop),
  },
  {
    name: 'rising',
    signature: 'rising(x)',
    description: '1 on the sample where x turns from false to true, else 0. NaN samples are no event.',
    example: 'rising(Cut_Signal)',
    category: 'logic',
    unitRule: NONE,
    params: X,
    unit: noUnit,
    make: edges(1, false),
  },
  {
    name: 'falling',
    signature: 'falling(x)',
    description: '1 on the sample where x turns from true to false, else 0.',
    example: 'falling(Strip_Present)',
    category: 'logic',
    unitRule: NONE,
    params: X,
    unit: noUnit,
    make: edges(-1, false),
  },
  {
    name: 'pulse_count',
    signature: 'pulse_count(x)',
    description: 'Running count of rising edges of x, starting at 0.',
    example: 'pulse_count(Cut_Signal)',
    category: 'logic',
    unitRule: NONE,
    params: X,
    unit: noUnit,
    make: edges(1, true),
  },
  {
    name: 'hysteresis',
    pure: 'hysteresis',
    signature: 'hysteresis(x, low, high)',
    description: 'Two-point switch: turns 1 when x ≥ high, back to 0 when x ≤ low, otherwise keeps its state (starts at 0).',
    example: 'hysteresis(Tank_Level, 20, 80)',
    category: 'logic',
    unitRule: NONE,
    params: S3('x', 'low', 'high'),
    unit: matchingThenNone('hysteresis()'),
    make: (args, ctx) => stateful3(series(args, 0, ctx), series(args, 1, ctx), series(args, 2, ctx), { state: 0 }, hysteresisLoop),
  },
  {
    name: 'debounce',
    signature: 'debounce(x, duration)',
    description: 'Boolean x that only changes after the new state has held for `duration` (a duration, or seconds). Starts at the first valid sample.',
    example: 'debounce(Limit_Switch, 200ms)',
    category: 'logic',
    unitRule: NONE,
    params: [
      { name: 'x', kind: 'series' },
      { name: 'duration', kind: 'seconds', allowZero: true },
    ],
    unit: noUnit,
    make: (args, ctx) => stateful1(series(args, 0, ctx), { state: NaN, candidate: -1, since: 0, holdMs: secondsArg(args, 1) * 1000 }, debounceLoop),
  },
  {
    name: 'latch',
    signature: 'latch(set, reset)',
    description: 'Set/reset flip-flop: becomes 1 when set is true, 0 when reset is true (reset wins), otherwise keeps its state (starts at 0).',
    example: 'latch(Alarm, Acknowledge)',
    category: 'logic',
    unitRule: NONE,
    params: [
      { name: 'set', kind: 'series' },
      { name: 'reset', kind: 'series' },
    ],
    unit: noUnit,
    make: (args, ctx) => stateful2(series(args, 0, ctx), series(args, 1, ctx), { state: 0 }, latchLoop),
  },
  {
    name: 'hold',
    signature: 'hold(x, cond?)',
    description: 'Sample-and-hold: follows x while cond is true and keeps the last followed value while it is false (NaN before cond was first true). Without cond: fills NaN gaps with the last valid value.',
    example: 'hold(Thickness, Measuring)',
    category: 'logic',
    unitRule: 'unit of x',
    params: [
      { name: 'x', kind: 'series' },
      { name: 'cond', kind: 'series', optional: true },
    ],
    unit: (args) => (args[0]?.kind === 'series' ? args[0].unit : noUnit()),
    make: (args, ctx) =>
      args.length > 1
        ? stateful2(series(args, 0, ctx), series(args, 1, ctx), { state: NaN }, trackLoop)
        : stateful1(series(args, 0, ctx), { state: NaN }, fillLoop),
  },
];
