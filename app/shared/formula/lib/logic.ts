/**
 * Conditions, edges and small state machines (the things PLC engineers build from
 * flip-flops and timers). Booleans are numbers: non-zero = true, 0 = false, NaN =
 * unknown. Stateful functions keep their state across a NaN (a gap is not an event).
 */
import type { BuildContext, Kernel } from '../kernel';
import { map3, newBuffer } from '../kernel';
import type { ArgValue, FunctionDef, ParamSpec } from './define';
import { NONE, matchingThenNone, matchingUnits, noUnit, secondsArg, series } from './define';

const ifLoop = (c: Float64Array, a: Float64Array, b: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const k = c[i]!;
    o[i] = k !== k ? NaN : k !== 0 ? a[i]! : b[i]!;
  }
};

const betweenLoop = (x: Float64Array, lo: Float64Array, hi: Float64Array, o: Float64Array, n: number): void => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const l = lo[i]!;
    const h = hi[i]!;
    o[i] = v !== v || l !== l || h !== h ? NaN : v >= l && v <= h ? 1 : 0;
  }
};

/** A one-input state machine: `step` sees each sample (NaN included) and returns the output. */
function machine(init: () => (v: number, t: number) => number): (args: readonly ArgValue[], ctx: BuildContext) => Kernel {
  return (args, ctx) => {
    const x = series(args, 0, ctx);
    const step = init();
    const out = newBuffer();
    return {
      run(b) {
        const a = x.run(b);
        const T = b.t;
        for (let i = 0; i < b.n; i++) out[i] = step(a[i]!, T[i]!);
        return out;
      },
    };
  };
}

/** Edge detector state: +1 for rising edges, -1 for falling. The first valid sample has no predecessor, so no edge. */
function edges(dir: 1 | -1, counting: boolean) {
  return machine(() => {
    let prev = NaN;
    let count = 0;
    return (v) => {
      if (v !== v) return counting ? count : 0;
      const cur = v !== 0 ? 1 : 0;
      const edge = prev === prev && cur - prev === dir ? 1 : 0;
      prev = cur;
      count += edge;
      return counting ? count : edge;
    };
  });
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
    signature: 'hysteresis(x, low, high)',
    description: 'Two-point switch: turns 1 when x ≥ high, back to 0 when x ≤ low, otherwise keeps its state (starts at 0).',
    example: 'hysteresis(Tank_Level, 20, 80)',
    category: 'logic',
    unitRule: NONE,
    params: S3('x', 'low', 'high'),
    unit: matchingThenNone('hysteresis()'),
    make: (args, ctx) => {
      let state = 0;
      return map3(series(args, 0, ctx), series(args, 1, ctx), series(args, 2, ctx), (x, lo, hi, o, n) => {
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          if (v >= hi[i]!) state = 1;
          else if (v <= lo[i]!) state = 0;
          o[i] = state;
        }
      });
    },
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
    make: (args, ctx) => {
      const holdMs = secondsArg(args, 1) * 1000;
      return machine(() => {
        let state = NaN;
        let candidate = NaN;
        let since = 0;
        return (v, t) => {
          if (v !== v) return state;
          const cur = v !== 0 ? 1 : 0;
          if (state !== state) state = cur;
          else if (cur === state) candidate = NaN;
          else {
            if (candidate !== cur) {
              candidate = cur;
              since = t;
            }
            if (t - since >= holdMs) {
              state = cur;
              candidate = NaN;
            }
          }
          return state;
        };
      })(args, ctx);
    },
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
    make: (args, ctx) => {
      const s = series(args, 0, ctx);
      const r = series(args, 1, ctx);
      const out = newBuffer();
      let state = 0;
      return {
        run(b) {
          const sv = s.run(b);
          const rv = r.run(b);
          for (let i = 0; i < b.n; i++) {
            const rr = rv[i]!;
            const ss = sv[i]!;
            if (rr !== 0 && rr === rr) state = 0;
            else if (ss !== 0 && ss === ss) state = 1;
            out[i] = state;
          }
          return out;
        },
      };
    },
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
    make: (args, ctx) => {
      const x = series(args, 0, ctx);
      const c = args.length > 1 ? series(args, 1, ctx) : undefined;
      const out = newBuffer();
      let held = NaN;
      return {
        run(b) {
          const xv = x.run(b);
          if (c) {
            const cv = c.run(b);
            for (let i = 0; i < b.n; i++) {
              const k = cv[i]!;
              if (k !== 0 && k === k) held = xv[i]!;
              out[i] = held;
            }
          } else {
            for (let i = 0; i < b.n; i++) {
              const v = xv[i]!;
              if (v === v) held = v;
              out[i] = held;
            }
          }
          return out;
        },
      };
    },
  },
];
