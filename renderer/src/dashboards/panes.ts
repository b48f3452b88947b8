/** The dashboards area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';
import { DashboardPane } from './DashboardPane';

export const DASHBOARD_PANES: PaneKind[] = [{ component: 'dashboard', title: 'Dashboard', render: DashboardPane, openable: true, many: true, params: {} }];
