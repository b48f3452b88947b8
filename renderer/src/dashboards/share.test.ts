import { describe, expect, it } from 'vitest';
import { parseShare, shareLink } from './share';

describe('share links', () => {
  it('round-trip a dashboard name with spaces and symbols, read-only', () => {
    const link = shareLink('http://127.0.0.1:8080', 'Line 1 / Furnace & Exit', 'abc');
    expect(parseShare(new URL(link).search)).toEqual({ dashboard: 'Line 1 / Furnace & Exit', view: true });
    expect(new URL(link).searchParams.get('token')).toBe('abc');
  });
  it('no dashboard parameter: nothing shared', () => {
    expect(parseShare('?token=x')).toBeNull();
  });
});
