/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
// Test-only import of the doc text (never reached by the renderer), to keep docs and registry in step.
import doc from '../../../docs/formulas.md?raw';
import { compileFormula } from './compile';
import { FUNCTION_LIBRARY } from './index';
import { REFERENCE_END, REFERENCE_START, functionReferenceMarkdown } from './reference';

describe('function library', () => {
  it('documents every entry fully, with unique names', () => {
    const names = FUNCTION_LIBRARY.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of FUNCTION_LIBRARY) {
      expect(f.signature.startsWith(`${f.name}(`)).toBe(true);
      expect(f.description.length).toBeGreaterThan(10);
      expect(f.unitRule.length).toBeGreaterThan(0);
      expect(f.example).toContain(`${f.name}(`);
    }
  });

  it('has every function the issue asks for', () => {
    const required =
      'abs sqrt pow exp log log10 sin cos tan min max clamp round floor ceil sign avg sum count std diff derivative integral sma ema median rolling_min rolling_max rolling_std delay hold latch rising falling pulse_count hysteresis debounce lookup resample deadband limit rate_limit lowpass between time dt if';
    const names = new Set(FUNCTION_LIBRARY.map((f) => f.name));
    for (const r of required.split(' ')) expect(names, r).toContain(r);
  });

  it('has examples that compile (any signal name is known)', () => {
    for (const f of FUNCTION_LIBRARY) {
      const r = compileFormula(f.example, { signalUnits: () => '' });
      expect(r.ok, `${f.name}: ${f.example} → ${r.ok ? '' : r.error.message}`).toBe(true);
    }
  });
});

describe('docs/formulas.md', () => {
  it('contains the generated function reference verbatim', () => {
    const start = doc.indexOf(REFERENCE_START);
    const end = doc.indexOf(REFERENCE_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(doc.slice(start, end + REFERENCE_END.length)).toBe(functionReferenceMarkdown());
  });

  it('mentions every library function', () => {
    for (const f of FUNCTION_LIBRARY) expect(doc).toContain(`\`${f.signature}\``);
  });
});
