import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edit, HISTORY_LIMIT, redo, startHistory, undo } from './history';

describe('edit history', () => {
  it('undoes and redoes; a new edit drops the redo branch', () => {
    let h = startHistory('a');
    h = edit(h, 'b');
    h = edit(h, 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = redo(h);
    expect(h.present).toBe('c');
    h = undo(undo(h));
    h = edit(h, 'x');
    expect(h.present).toBe('x');
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe('a');
  });

  it('property: n undos then n redos come back to the same state; the past stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 150 }), fc.nat(), (values, k) => {
        let h = startHistory(-1);
        for (const v of values) h = edit(h, v);
        const n = Math.min(k, h.past.length);
        let u = h;
        for (let i = 0; i < n; i++) u = undo(u);
        for (let i = 0; i < n; i++) u = redo(u);
        expect(u.present).toBe(h.present);
        expect(h.past.length).toBeLessThanOrEqual(HISTORY_LIMIT);
      }),
    );
  });
});
