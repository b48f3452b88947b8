/** The tool bar's "Analysis" button: brings up the analysis workspace (browser + trend). */
import type { DockviewApi } from 'dockview-react';
import { openAnalysisWorkspace } from './layout';

export function AnalysisButton({ api }: { api: DockviewApi | null }): React.JSX.Element {
  return (
    <button type="button" data-testid="open-analysis" disabled={!api} onClick={() => api && openAnalysisWorkspace(api)} title="offline analysis of recorded coils">
      Analysis
    </button>
  );
}
