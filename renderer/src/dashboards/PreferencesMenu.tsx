/** Theme, number format and time zone, in the tool bar; saved in the workspace (prefs.json). */
import { useEffect } from 'react';
import { useSession } from '../session-context';
import { usePrefs } from './prefs';
import type { Prefs } from '../../../app/shared/dashboards/schema';

const ZONES = ['local', 'UTC', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Chicago', 'Asia/Shanghai', 'Asia/Tokyo'];

export function PreferencesMenu(): React.JSX.Element {
  const { transport } = useSession();
  const { prefs, load, save, error } = usePrefs();
  useEffect(() => {
    void load(transport);
    const d = transport.onReconnect(() => void load(transport));
    return () => d.dispose();
  }, [transport, load]);
  const set = (p: Partial<Prefs>): void => void save(transport, { ...prefs, ...p });
  return (
    <span className="prefs" data-testid="prefs">
      <select aria-label="theme" data-testid="prefs-theme" value={prefs.theme} onChange={(e) => set({ theme: e.target.value as Prefs['theme'] })}>
        <option value="dark">Dark</option>
        <option value="light">Light</option>
      </select>
      <select aria-label="number format" value={prefs.numberFormat} onChange={(e) => set({ numberFormat: e.target.value as Prefs['numberFormat'] })}>
        <option value="plain">1234.5</option>
        <option value="grouped">1,234.5</option>
        <option value="comma">1234,5</option>
      </select>
      <select aria-label="time zone" value={prefs.timeZone} onChange={(e) => set({ timeZone: e.target.value })}>
        {[...new Set([...ZONES, prefs.timeZone])].map((z) => (
          <option key={z} value={z}>
            {z === 'local' ? 'Local time' : z}
          </option>
        ))}
      </select>
      {error ? <span className="error">{error}</span> : null}
    </span>
  );
}
