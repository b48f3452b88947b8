/** The first layout of a share link: only the named dashboard, read-only. */
import type { DockviewApi } from 'dockview-react';
import { SHARED } from './share';

/** Opens the shared dashboard and returns true, or returns false when this page was not opened through a share link. */
export function openSharedDashboard(api: DockviewApi): boolean {
  if (!SHARED) return false;
  api.addPanel({ id: 'shared-dashboard', component: 'dashboard', title: SHARED.dashboard, params: { name: SHARED.dashboard, view: SHARED.view, locked: SHARED.view } });
  return true;
}
