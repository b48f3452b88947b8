/** The files area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';
import { AnnotationsPane } from './AnnotationsPane';
import { ExportPane } from './ExportPane';
import { ImportPane } from './ImportPane';
import { SpectrumPane } from './SpectrumPane';
import { XYPane } from './XYPane';

export const FILES_PANES: PaneKind[] = [
  { component: 'files-import', title: 'Import file', render: ImportPane, openable: true },
  { component: 'files-export', title: 'Export', render: ExportPane, openable: true },
  { component: 'files-annotations', title: 'Annotations', render: AnnotationsPane, openable: true },
  { component: 'files-xy', title: 'X/Y plot', render: XYPane, openable: true, many: true },
  { component: 'files-spectrum', title: 'Spectrum (FFT)', render: SpectrumPane, openable: true, many: true },
];
