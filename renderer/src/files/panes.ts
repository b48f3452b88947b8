/** The files area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';

export const FILES_PANES: PaneKind[] = [];
