/** The analysis panes' calls to the engine, with the open-source list kept in the analysis store. */
import { METHOD_LIST } from '../../../app/shared/contract/names';
import type { AnalysisSource } from '../../../app/shared/contract/analysis';
import type { Transport } from '../transport/transport';
import { useAnalysis } from './analysis-store';

export async function openSource(transport: Transport, path: string): Promise<{ ok: true; source: AnalysisSource } | { ok: false; message: string }> {
  const r = await transport.call('analysis.open', { path });
  if (!r.ok) return { ok: false, message: r.error.message };
  useAnalysis.getState().addSource(r.value);
  return { ok: true, source: r.value };
}

/** Sources the engine already has open (e.g. `parx serve --open PATH`). */
export async function loadSources(transport: Transport): Promise<void> {
  const r = await transport.call('analysis.sources', {});
  if (!r.ok) return;
  const s = useAnalysis.getState();
  const known = new Set(s.sources.map((x) => x.id));
  for (const src of r.value) if (!known.has(src.id)) s.addSource(src);
}

/** Whether the engine offers a method (another area's, e.g. annotations.list, may not be there yet). */
export function hasMethod(name: string): boolean {
  return (METHOD_LIST as readonly string[]).includes(name);
}

export interface Annotation {
  id: string;
  source: string;
  batchId: string | null;
  axis: 'time' | 'length';
  from: number;
  to: number;
  text: string;
  author: string;
}

export async function listAnnotations(transport: Transport, source: string, from?: number, to?: number): Promise<Annotation[]> {
  if (!hasMethod('annotations.list')) return [];
  // Typed loosely: the method belongs to the files area and may change shape while it is built.
  const loose = transport as unknown as { call(m: string, p: unknown): Promise<{ ok: boolean; value?: unknown }> };
  const r = await loose.call('annotations.list', { source, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  return r.ok && Array.isArray(r.value) ? (r.value as Annotation[]) : [];
}
