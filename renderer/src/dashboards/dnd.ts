/** Drag-and-drop payloads: a signal (from the Signals pane or the analysis tree) or a widget type from the palette. */
export const SIGNAL_MIME = 'application/x-parx-signal';
export const WIDGET_MIME = 'application/x-parx-widget';

/** The drag payload of a signal row (Signals pane, analysis tree): the signal's name. */
export function signalDragStart(e: { dataTransfer: DataTransfer }, name: string): void {
  e.dataTransfer.setData(SIGNAL_MIME, name);
  e.dataTransfer.setData('text/plain', name);
  e.dataTransfer.effectAllowed = 'copy';
}
