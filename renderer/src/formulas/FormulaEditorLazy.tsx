/** The formula editor, loaded when first opened: Monaco is large and most sessions never open it. */
import { lazy, Suspense } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import type { FormulaEditorParams } from './FormulaEditorPane';

const Pane = lazy(async () => ({ default: (await import('./FormulaEditorPane')).FormulaEditorPane }));

export function FormulaEditorLazy(props: IDockviewPanelProps<FormulaEditorParams>): React.JSX.Element {
  return (
    <Suspense fallback={<div className="empty">Loading the formula editor…</div>}>
      <Pane {...props} />
    </Suspense>
  );
}
