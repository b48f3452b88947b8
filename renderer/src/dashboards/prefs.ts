/** The user's preferences (theme, number format, time zone), loaded from the workspace and applied to the whole window. */
import { create } from 'zustand';
import { DEFAULT_PREFS, type Prefs } from '../../../app/shared/dashboards/schema';
import type { Transport } from '../transport/transport';

interface PrefsState {
  prefs: Prefs;
  loaded: boolean;
  error: string | null;
  load(t: Transport): Promise<void>;
  save(t: Transport, prefs: Prefs): Promise<void>;
}

export function applyTheme(theme: Prefs['theme']): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme;
}

export const usePrefs = create<PrefsState>()((set) => ({
  prefs: DEFAULT_PREFS,
  loaded: false,
  error: null,
  load: async (t) => {
    const r = await t.call('prefs.get', {});
    if (r.ok) {
      applyTheme(r.value.theme);
      set({ prefs: r.value, loaded: true, error: null });
    } else set({ error: r.error.message });
  },
  save: async (t, prefs) => {
    applyTheme(prefs.theme);
    set({ prefs });
    const r = await t.call('prefs.save', { prefs });
    set({ error: r.ok ? null : `preferences not saved: ${r.error.message}` });
  },
}));
