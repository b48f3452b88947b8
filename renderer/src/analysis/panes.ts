/** The analysis area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';
import { AnalysisBrowserPane } from './AnalysisBrowserPane';
import { AnalysisTrendPane } from './AnalysisTrendPane';

export const ANALYSIS_PANES: PaneKind[] = [
  { component: 'analysis-browser', title: 'Analysis', render: AnalysisBrowserPane, openable: true },
  { component: 'analysis-trend', title: 'Analysis trend', render: AnalysisTrendPane, openable: true, many: true },
];
