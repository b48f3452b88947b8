/** How a certificate reads on screen: thumbprints in groups, dates as a plant engineer reads them. */

/** "a1b2c3d4…" → "A1B2 C3D4 …": the grouping servers' own screens use, easy to compare aloud. */
export function groupedThumbprint(thumbprint: string): string {
  return (thumbprint.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

export function day(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '—';
}

/** Why a certificate should make the engineer hesitate, or null. */
export function validityProblem(validFrom: string, validTo: string, now = Date.now()): string | null {
  const from = Date.parse(validFrom);
  const to = Date.parse(validTo);
  if (Number.isFinite(to) && to < now) return `expired on ${day(validTo)}`;
  if (Number.isFinite(from) && from > now) return `not valid before ${day(validFrom)}`;
  return null;
}
