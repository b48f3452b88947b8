/** The dashboards area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';

export const DASHBOARD_PANES: PaneKind[] = [];
