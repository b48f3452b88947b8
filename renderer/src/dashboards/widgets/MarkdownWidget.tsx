/** Text and Markdown with live values inline ({{Line Speed}}), sanitised. */
import { useMemo, useRef } from 'react';
import type { WidgetOf } from '../../../../app/shared/dashboards/schema';
import { inlineSignals } from '../../../../app/shared/dashboards/template';
import { useParx } from '../../store';
import { useDash, useEvery, useLive } from '../dash-context';
import { formatNumber } from '../format';
import { usePrefs } from '../prefs';
import { latestOf, useKnownSignals } from './common';
import { renderMarkdown } from './markdown';

export const MARKDOWN_RATE = 2;

export function MarkdownWidget({ widget }: { widget: WidgetOf<'markdown'> }): React.JSX.Element {
  const { subs } = useDash();
  const html = useMemo(() => renderMarkdown(widget.text), [widget.text]);
  const refs = useMemo(() => [...new Set(inlineSignals(widget.text))], [widget.text]);
  const { known, missing } = useKnownSignals(refs);
  useLive(known, MARKDOWN_RATE);
  const all = useParx((s) => s.signals);
  const numberFormat = usePrefs((s) => s.prefs.numberFormat);
  const host = useRef<HTMLDivElement>(null);

  useEvery(1000 / MARKDOWN_RATE, () => {
    const el = host.current;
    if (!el) return;
    for (const span of el.querySelectorAll<HTMLSpanElement>('span[data-live]')) {
      const name = span.dataset.live ?? '';
      const info = all.find((s) => s.name === name);
      if (!info) {
        span.textContent = `{{${name}?}}`;
        continue;
      }
      const s = latestOf(subs.data, name, info.timebaseMs);
      const text = `${formatNumber(s.value, 1, numberFormat)}${info.unit ? ` ${info.unit}` : ''}`;
      if (span.textContent !== text) span.textContent = text;
      span.dataset.quality = s.quality;
    }
  });

  return (
    <div className="w-markdown">
      <div className="w-markdown-body" data-testid="markdown" ref={host} dangerouslySetInnerHTML={{ __html: html }} />
      {missing.length ? <div className="w-problem">no signal named {missing.map((m) => `“${m}”`).join(', ')}</div> : null}
    </div>
  );
}
