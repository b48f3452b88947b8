/** The function-library browser's search: by name first, then by words in the signature and description. */
import type { FunctionDoc } from '../../../app/shared/formula';

export function filterFunctions(list: readonly FunctionDoc[], query: string): FunctionDoc[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...list];
  const byName = list.filter((f) => f.name.toLowerCase().includes(q));
  const words = q.split(/\s+/);
  const byText = list.filter((f) => !byName.includes(f) && words.every((w) => `${f.signature} ${f.description} ${f.category}`.toLowerCase().includes(w)));
  return [...byName, ...byText];
}
