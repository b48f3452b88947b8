/** A local image (a line schematic) from the workspace with live value labels placed on it. */
import { useEffect, useRef, useState } from 'react';
import type { WidgetOf } from '../../../../app/shared/dashboards/schema';
import { useParx } from '../../store';
import { useDash, useEvery, useLive } from '../dash-context';
import { formatNumber } from '../format';
import { usePrefs } from '../prefs';
import { latestOf, useKnownSignals } from './common';

export const IMAGE_RATE = 5;

/** Images by name, loaded once per window. */
const cache = new Map<string, Promise<{ url: string | null; error: string | null }>>();

export function forgetImage(name: string): void {
  cache.delete(name);
}

export function ImageWidget({ widget }: { widget: WidgetOf<'image'> }): React.JSX.Element {
  const { subs, transport } = useDash();
  const [image, setImage] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  const { known } = useKnownSignals(widget.labels.map((l) => l.signal));
  useLive(known, IMAGE_RATE);
  const all = useParx((s) => s.signals);
  const numberFormat = usePrefs((s) => s.prefs.numberFormat);
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    if (!widget.image) {
      setImage({ url: null, error: null });
      return;
    }
    let p = cache.get(widget.image);
    if (!p) {
      p = transport.call('dashboards.getImage', { name: widget.image }).then((r) => (r.ok ? { url: r.value.dataUrl, error: null } : { url: null, error: r.error.message }));
      cache.set(widget.image, p);
    }
    void p.then((v) => {
      if (live) setImage(v);
      if (v.error) cache.delete(widget.image);
    });
    return () => {
      live = false;
    };
  }, [widget.image, transport]);

  useEvery(1000 / IMAGE_RATE, () => {
    const el = host.current;
    if (!el) return;
    el.querySelectorAll<HTMLSpanElement>('[data-label]').forEach((span, i) => {
      const l = widget.labels[i];
      if (!l) return;
      const info = all.find((s) => s.name === l.signal);
      const s = latestOf(subs.data, l.signal, info?.timebaseMs);
      const text = info ? `${formatNumber(s.value, l.decimals, numberFormat)}${info.unit ? ` ${info.unit}` : ''}` : `${l.signal}?`;
      if (span.textContent !== text) span.textContent = text;
      span.dataset.quality = info ? s.quality : 'bad';
    });
  });

  return (
    <div className="w-image" ref={host} data-testid="image-widget">
      {image.url ? <img src={image.url} alt={widget.title || widget.image} draggable={false} /> : <div className="w-image-missing">{widget.image ? (image.error ?? 'loading…') : 'No image chosen yet: open the settings (⚙) to upload one.'}</div>}
      {widget.labels.map((l, i) => (
        <span key={i} className="w-image-label" data-label={l.signal} title={l.signal} style={{ left: `${l.x * 100}%`, top: `${l.y * 100}%` }}>
          —
        </span>
      ))}
    </div>
  );
}
