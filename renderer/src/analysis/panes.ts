/** The analysis area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';

export const ANALYSIS_PANES: PaneKind[] = [];
