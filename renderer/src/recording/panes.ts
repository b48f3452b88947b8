/** The recording area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';
import { StorageRulesPane } from './StorageRulesPane';
import { RecordingsPane } from './RecordingsPane';

export const RECORDING_PANES: PaneKind[] = [
  { component: 'storage-rules', title: 'Storage rules', render: StorageRulesPane, openable: true },
  { component: 'recordings', title: 'Recordings', render: RecordingsPane, openable: true },
];
