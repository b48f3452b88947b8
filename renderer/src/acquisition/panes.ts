/** The acquisition area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';
import { CertificatesPane } from './CertificatesPane';
import { PlannerPane } from './PlannerPane';

export const ACQUISITION_PANES: PaneKind[] = [
  { component: 'acquisition-plan', title: 'Acquisition plan', render: PlannerPane, openable: true },
  { component: 'certificates', title: 'Certificates', render: CertificatesPane, openable: true },
];
