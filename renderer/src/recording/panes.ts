/** The recording area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';

export const RECORDING_PANES: PaneKind[] = [];
