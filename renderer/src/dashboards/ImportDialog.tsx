/** Importing a template: every problem listed, unknown signals re-mapped, then loaded as a new dashboard. */
import { useState } from 'react';
import type { Dashboard } from '../../../app/shared/dashboards/schema';
import { remapSignals, type TemplateReading } from '../../../app/shared/dashboards/template';
import { useParx } from '../store';

export function ImportDialog({ reading, onLoad, onCancel }: { reading: TemplateReading; onLoad: (d: Dashboard, images: Record<string, string>) => void; onCancel: () => void }): React.JSX.Element {
  const signals = useParx((s) => s.signals);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const d = reading.dashboard;
  return (
    <div className="import-dialog" role="dialog" aria-label="import dashboard" data-testid="import-dialog">
      <h4>Import {d ? `“${d.name}” (${d.widgets.length} widget${d.widgets.length === 1 ? '' : 's'})` : 'failed'}</h4>
      {reading.problems.length ? (
        <ul className="import-problems" data-testid="import-problems">
          {reading.problems.map((p, i) => (
            <li key={i} data-testid="import-problem">
              <strong>{p.item}:</strong> {p.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No problems found.</p>
      )}
      {reading.unknownSignals.length ? (
        <div className="remap" data-testid="import-remap">
          <p>Re-map signals this workspace does not have:</p>
          {reading.unknownSignals.map((s) => (
            <label key={s} className="field">
              <span>{s} →</span>
              <select aria-label={`re-map ${s}`} value={mapping[s] ?? ''} onChange={(e) => setMapping({ ...mapping, [s]: e.target.value })}>
                <option value="">(leave as is)</option>
                {signals.map((x) => (
                  <option key={x.id}>{x.name}</option>
                ))}
              </select>
            </label>
          ))}
        </div>
      ) : null}
      <div className="actions">
        {d ? (
          <button type="button" data-testid="import-load" onClick={() => onLoad(remapSignals(d, mapping), reading.images)}>
            Load dashboard
          </button>
        ) : null}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
