/**
 * Every kind of dockview pane, gathered from each area's own list, and the ones a user can open
 * from the toolbar. Areas (analysis, formulas, dashboards) add panes in their own panes.ts.
 */
import type { FunctionComponent } from 'react';
import type { IDockviewPanelProps } from 'dockview-react';
import { ConnectionsPane } from './ConnectionsPane';
import { HealthPane } from './HealthPane';
import { SignalListPane } from './SignalListPane';
import { SignalTablePane } from './SignalTablePane';
import { TrendPane } from './TrendPane';
import { ANALYSIS_PANES } from '../analysis/panes';
import { DASHBOARD_PANES } from '../dashboards/panes';
import { FORMULA_PANES } from '../formulas/panes';
import { FILES_PANES } from '../files/panes';
import { RECORDING_PANES } from '../recording/panes';
import { ACQUISITION_PANES } from '../acquisition/panes';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- dockview takes any panel props
export type PaneComponent = FunctionComponent<IDockviewPanelProps<any>>;

export interface PaneKind {
  component: string;
  title: string;
  render: PaneComponent;
  /** Offered in the toolbar's "Open" menu (false for panes opened from another pane). */
  openable: boolean;
  /** Several at once make sense (trends, dashboards); other panes are tools: "Open" brings the one there is forward. */
  many?: boolean;
  params?: Record<string, unknown>;
}

const LIVE_PANES: PaneKind[] = [
  { component: 'signals', title: 'Signals', render: SignalListPane, openable: true },
  { component: 'trend', title: 'Live trend', render: TrendPane, openable: true, many: true, params: { signals: [] } },
  { component: 'connections', title: 'I/O', render: ConnectionsPane, openable: true },
  { component: 'signal-table', title: 'Signal table', render: SignalTablePane, openable: true },
  { component: 'health', title: 'Health', render: HealthPane, openable: true },
];

export const PANE_KINDS: PaneKind[] = [...LIVE_PANES, ...ACQUISITION_PANES, ...RECORDING_PANES, ...ANALYSIS_PANES, ...FILES_PANES, ...FORMULA_PANES, ...DASHBOARD_PANES];

export const PANES: Record<string, PaneComponent> = Object.fromEntries(PANE_KINDS.map((k) => [k.component, k.render]));
