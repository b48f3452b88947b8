/** The formulas area's dockview panes (registered in panes/registry.ts). */
import type { PaneKind } from '../panes/registry';
import { FormulaEditorLazy } from './FormulaEditorLazy';

export const FORMULA_PANES: PaneKind[] = [{ component: 'formula-editor', title: 'Formula editor', render: FormulaEditorLazy, openable: true, params: { formula: '' } }];
