/** The settings of the selected widget, in edit mode. Every change is one undoable edit. */
import { useEffect, useState } from 'react';
import type { Limits, Widget } from '../../../app/shared/dashboards/schema';
import { IMAGE_NAME } from '../../../app/shared/dashboards/schema';
import { useParx } from '../store';
import { useDash } from './dash-context';
import { forgetImage } from './widgets/ImageWidget';

function Num({ label, value, onChange }: { label: string; value: number | null; onChange: (v: number | null) => void }): React.JSX.Element {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => setText(value === null ? '' : String(value)), [value]);
  return (
    <label className="field">
      <span>{label}</span>
      <input
        className="narrow"
        aria-label={label}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          const t = text.trim();
          const n = Number(t.replace(',', '.'));
          if (t === '') onChange(null);
          else if (Number.isFinite(n)) onChange(n);
          else setText(value === null ? '' : String(value));
        }}
      />
    </label>
  );
}

function SignalSelect({ value, onChange, label = 'signal' }: { value: string; onChange: (s: string) => void; label?: string }): React.JSX.Element {
  const signals = useParx((s) => s.signals);
  return (
    <label className="field">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {signals.some((s) => s.name === value) ? null : <option value={value}>{value || '(choose)'} </option>}
        {signals.map((s) => (
          <option key={s.id} value={s.name}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function LimitsFields({ limits, onChange }: { limits: Limits; onChange: (l: Limits) => void }): React.JSX.Element {
  return (
    <div className="limits">
      <Num label="lo-lo" value={limits.loLo} onChange={(v) => onChange({ ...limits, loLo: v })} />
      <Num label="lo" value={limits.lo} onChange={(v) => onChange({ ...limits, lo: v })} />
      <Num label="hi" value={limits.hi} onChange={(v) => onChange({ ...limits, hi: v })} />
      <Num label="hi-hi" value={limits.hiHi} onChange={(v) => onChange({ ...limits, hiHi: v })} />
    </div>
  );
}

function ImageChooser({ value, onChange }: { value: string; onChange: (name: string) => void }): React.JSX.Element {
  const { transport } = useDash();
  const [names, setNames] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const reload = async (): Promise<void> => {
    const r = await transport.call('dashboards.listImages', {});
    if (r.ok) setNames(r.value);
  };
  useEffect(() => void reload(), []); // eslint-disable-line react-hooks/exhaustive-deps
  const upload = (file: File): void => {
    const reader = new FileReader();
    reader.onload = async () => {
      const base = file.name.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9 ._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 90) || 'image';
      const name = IMAGE_NAME.test(base) ? base : 'image';
      const r = await transport.call('dashboards.putImage', { name, dataUrl: String(reader.result) });
      if (!r.ok) return setMessage(r.error.message);
      forgetImage(r.value.name);
      setMessage(`stored ${r.value.name} (${Math.round(r.value.bytes / 1024)} kB)`);
      await reload();
      onChange(r.value.name);
    };
    reader.readAsDataURL(file);
  };
  return (
    <>
      <label className="field">
        <span>image</span>
        <select aria-label="image" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">(none)</option>
          {[...new Set([...names, ...(value ? [value] : [])])].map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>upload</span>
        <input type="file" accept="image/png,image/jpeg,image/gif,image/webp" data-testid="image-upload" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
      </label>
      {message ? <div className="message">{message}</div> : null}
    </>
  );
}

export function WidgetEditor({ widget, onChange, onClose }: { widget: Widget; onChange: (w: Widget) => void; onClose: () => void }): React.JSX.Element {
  const signals = useParx((s) => s.signals);
  const set = (p: Partial<Widget>): void => onChange({ ...widget, ...p } as Widget);
  return (
    <aside className="widget-editor" data-testid="widget-editor">
      <header>
        <strong>{widget.type} settings</strong>
        <button type="button" className="link" onClick={onClose}>
          close
        </button>
      </header>
      <label className="field">
        <span>title</span>
        <input aria-label="title" value={widget.title} onChange={(e) => set({ title: e.target.value })} />
      </label>
      {widget.type === 'value' || widget.type === 'gauge' ? (
        <>
          <SignalSelect value={widget.signal} onChange={(signal) => set({ signal })} />
          <Num label="decimals" value={widget.decimals} onChange={(v) => set({ decimals: Math.max(0, Math.min(9, Math.round(v ?? 0))) })} />
          <LimitsFields limits={widget.limits} onChange={(limits) => set({ limits })} />
        </>
      ) : null}
      {widget.type === 'value' ? (
        <label className="field">
          <span>sparkline</span>
          <input type="checkbox" checked={widget.sparkline} onChange={(e) => set({ sparkline: e.target.checked })} />
        </label>
      ) : null}
      {widget.type === 'gauge' ? (
        <>
          <label className="field">
            <span>style</span>
            <select aria-label="style" value={widget.style} onChange={(e) => set({ style: e.target.value as 'gauge' | 'bar' })}>
              <option value="gauge">gauge</option>
              <option value="bar">progress bar</option>
            </select>
          </label>
          <Num label="min" value={widget.min} onChange={(v) => v !== null && v < widget.max && set({ min: v })} />
          <Num label="max" value={widget.max} onChange={(v) => v !== null && v > widget.min && set({ max: v })} />
        </>
      ) : null}
      {widget.type === 'trend' ? (
        <>
          {widget.signals.map((s, i) => (
            <div key={s} className="field">
              <span>signal {i + 1}</span>
              <span>
                {s}{' '}
                <button type="button" className="link" onClick={() => set({ signals: widget.signals.filter((x) => x !== s) })}>
                  remove
                </button>
              </span>
            </div>
          ))}
          {widget.signals.length < 8 ? (
            <label className="field">
              <span>add</span>
              <select aria-label="add signal" value="" onChange={(e) => e.target.value && set({ signals: [...widget.signals, e.target.value] })}>
                <option value="">(add a signal)</option>
                {signals
                  .filter((s) => !widget.signals.includes(s.name))
                  .map((s) => (
                    <option key={s.id}>{s.name}</option>
                  ))}
              </select>
            </label>
          ) : null}
          <Num label="window (s)" value={widget.windowS} onChange={(v) => v !== null && v >= 5 && v <= 3600 && set({ windowS: v })} />
        </>
      ) : null}
      {widget.type === 'markdown' ? (
        <label className="field column">
          <span>Markdown — live values as {'{{Signal Name}}'}</span>
          <textarea aria-label="markdown" rows={8} value={widget.text} onChange={(e) => set({ text: e.target.value })} />
        </label>
      ) : null}
      {widget.type === 'image' ? (
        <>
          <ImageChooser value={widget.image} onChange={(image) => set({ image })} />
          <div className="message">Drop a signal on the image to place a live label there.</div>
          {widget.labels.map((l, i) => (
            <div key={i} className="field">
              <span>{l.signal}</span>
              <span>
                {Math.round(l.x * 100)}%, {Math.round(l.y * 100)}%{' '}
                <button type="button" className="link" onClick={() => set({ labels: widget.labels.filter((_, k) => k !== i) })}>
                  remove
                </button>
              </span>
            </div>
          ))}
        </>
      ) : null}
    </aside>
  );
}
