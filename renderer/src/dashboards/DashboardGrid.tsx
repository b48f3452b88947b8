/** The grid of widgets: react-grid-layout, drops from the palette and the Signals pane, widget chrome in edit mode. */
import { useMemo } from 'react';
import ReactGridLayout, { useContainerWidth, type Layout, type LayoutItem } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import 'react-resizable/css/styles.css';
import type { Widget, WidgetType } from '../../../app/shared/dashboards/schema';
import { GRID_COLUMNS } from '../../../app/shared/dashboards/schema';
import { SIGNAL_MIME, WIDGET_MIME } from './dnd';
import { SIZES } from './widget-defaults';
import { ValueCard } from './widgets/ValueCard';
import { TrendWidget } from './widgets/TrendWidget';
import { GaugeWidget } from './widgets/GaugeWidget';
import { AlarmLog } from './widgets/AlarmLog';
import { MarkdownWidget } from './widgets/MarkdownWidget';
import { ImageWidget } from './widgets/ImageWidget';

/** The palette item being dragged (dragover cannot read the payload, only its types). */
export const dragging: { type: WidgetType | null } = { type: null };

function WidgetBody({ widget }: { widget: Widget }): React.JSX.Element {
  switch (widget.type) {
    case 'value':
      return <ValueCard widget={widget} />;
    case 'trend':
      return <TrendWidget widget={widget} />;
    case 'gauge':
      return <GaugeWidget widget={widget} />;
    case 'alarms':
      return <AlarmLog widget={widget} />;
    case 'markdown':
      return <MarkdownWidget widget={widget} />;
    case 'image':
      return <ImageWidget widget={widget} />;
  }
}

export interface GridProps {
  widgets: Widget[];
  editing: boolean;
  selected: string | null;
  onLayout(layout: Layout): void;
  onDropNew(payload: { widget?: string; signal?: string }, at: { x: number; y: number }): void;
  onDropSignal(id: string, signal: string, at: { x: number; y: number }): void;
  onSelect(id: string): void;
  onDuplicate(id: string): void;
  onDelete(id: string): void;
}

export function DashboardGrid(p: GridProps): React.JSX.Element {
  const { width, containerRef, mounted } = useContainerWidth();
  const layout: Layout = useMemo(() => p.widgets.map((w) => ({ i: w.id, x: w.x, y: w.y, w: w.w, h: w.h, minW: 1, minH: 1 })), [p.widgets]);

  const onDrop = (_l: Layout, item: LayoutItem | undefined, e: Event): void => {
    const dt = (e as DragEvent).dataTransfer;
    dragging.type = null;
    if (!item || !dt) return;
    p.onDropNew({ widget: dt.getData(WIDGET_MIME) || undefined, signal: dt.getData(SIGNAL_MIME) || undefined }, { x: item.x, y: item.y });
  };

  return (
    <div className={`dash-grid ${p.editing ? 'editing' : 'viewing'}`} ref={containerRef} data-testid="dash-grid">
      {mounted ? (
        <ReactGridLayout
          layout={layout}
          width={width}
          gridConfig={{ cols: GRID_COLUMNS, rowHeight: 40, margin: [8, 8] }}
          dragConfig={{ enabled: p.editing, handle: '.widget-head', cancel: 'button' }}
          resizeConfig={{ enabled: p.editing }}
          dropConfig={{
            enabled: p.editing,
            defaultItem: SIZES.value,
            onDragOver: (e: DragEvent) => {
              const types = e.dataTransfer?.types ?? [];
              if (!types.includes(WIDGET_MIME) && !types.includes(SIGNAL_MIME)) return false;
              return dragging.type ? SIZES[dragging.type] : SIZES.value;
            },
          }}
          onLayoutChange={(l) => p.editing && p.onLayout(l)}
          onDrop={onDrop}
        >
          {p.widgets.map((w) => (
            <div
              key={w.id}
              className={`widget widget-${w.type}${p.selected === w.id ? ' selected' : ''}`}
              data-testid="widget"
              data-type={w.type}
              data-id={w.id}
              onDragOver={(e) => {
                if (!p.editing || !e.dataTransfer.types.includes(SIGNAL_MIME)) return;
                e.preventDefault();
                e.stopPropagation();
                e.currentTarget.classList.add('drop-target');
              }}
              onDragLeave={(e) => e.currentTarget.classList.remove('drop-target')}
              onDrop={(e) => {
                const signal = e.dataTransfer.getData(SIGNAL_MIME);
                e.currentTarget.classList.remove('drop-target');
                if (!p.editing || !signal) return;
                e.preventDefault();
                e.stopPropagation();
                const body = e.currentTarget.querySelector('.widget-body') ?? e.currentTarget;
                const r = body.getBoundingClientRect();
                p.onDropSignal(w.id, signal, { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) });
              }}
            >
              {p.editing ? (
                <div className="widget-head">
                  <span className="widget-kind">{w.title || w.type}</span>
                  <button type="button" title="settings" aria-label="settings" data-testid="widget-settings" onClick={() => p.onSelect(w.id)}>
                    ⚙
                  </button>
                  <button type="button" title="duplicate" aria-label="duplicate" data-testid="widget-duplicate" onClick={() => p.onDuplicate(w.id)}>
                    copy
                  </button>
                  <button type="button" title="delete" aria-label="delete" data-testid="widget-delete" onClick={() => p.onDelete(w.id)}>
                    ✕
                  </button>
                </div>
              ) : null}
              <div className="widget-body">
                <WidgetBody widget={w} />
              </div>
            </div>
          ))}
        </ReactGridLayout>
      ) : null}
    </div>
  );
}
