/**
 * Discovery: what an MQTT broker carries is only known by listening. The driver feeds every
 * message seen during the browse window in here; the result lists each topic with its last
 * payload, the numeric leaves of JSON documents as `topic@$.path`, and Sparkplug B metrics
 * as `spb:GROUP/NODE[/DEVICE]:Metric`. Pure and bounded.
 */
import type { BrowseItem } from '../driver';
import { numericLeaves } from './json-path';
import { parseJsonPayload, shorten } from './payload';
import { parseSpbTopic } from './sparkplug';
import { SparkplugTracker } from './sparkplug-state';

const MAX_TOPICS = 2000;
const SAMPLE_CHARS = 80;
const textDecoder = new TextDecoder('utf-8', { fatal: false });

interface SpbMetricSeen {
  readonly id: string;
  readonly name: string;
  sample: string;
}

export class BrowseCollector {
  private readonly topics = new Map<string, Uint8Array>();
  private readonly metrics = new Map<string, SpbMetricSeen>();
  private readonly tracker = new SparkplugTracker();

  add(topic: string, payload: Uint8Array): void {
    const spb = parseSpbTopic(topic);
    if (spb) {
      const update = this.tracker.handle(spb, payload);
      const owner = `${spb.group}/${spb.node}${spb.device === undefined ? '' : `/${spb.device}`}`;
      for (const v of update.values) {
        const id = `spb:${owner}:${v.name}`;
        const seen = this.metrics.get(id) ?? { id, name: `${owner} ${v.name}`, sample: '' };
        seen.sample = v.value === undefined ? (v.reason ?? '') : String(v.value);
        if (this.metrics.size < MAX_TOPICS || this.metrics.has(id)) this.metrics.set(id, seen);
      }
    }
    if (this.topics.size < MAX_TOPICS || this.topics.has(topic)) this.topics.set(topic, payload);
  }

  items(): BrowseItem[] {
    const out: BrowseItem[] = [];
    for (const topic of [...this.topics.keys()].sort()) {
      const payload = this.topics.get(topic) as Uint8Array;
      if (parseSpbTopic(topic)) {
        out.push({ id: topic, name: topic, kind: 'topic', hasChildren: false, dataType: 'sparkplug-b', sample: `${payload.length} bytes (Sparkplug B)` });
        continue;
      }
      const text = textDecoder.decode(payload);
      out.push({ id: topic, name: topic, kind: 'topic', hasChildren: false, sample: shorten(text, SAMPLE_CHARS) });
      const first = text.trimStart()[0];
      if (first !== '{' && first !== '[') continue;
      const doc = parseJsonPayload(text);
      if (!doc.ok) continue;
      for (const leaf of numericLeaves(doc.value)) {
        out.push({ id: `${topic}@${leaf.path}`, name: `${topic} ${leaf.path}`, kind: 'variable', hasChildren: false, dataType: typeof leaf.value, sample: String(leaf.value) });
      }
    }
    for (const m of [...this.metrics.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      out.push({ id: m.id, name: m.name, kind: 'variable', hasChildren: false, dataType: 'sparkplug-metric', sample: m.sample });
    }
    return out;
  }
}

/** The subscription for browsing under `parent`: everything, a subtree (`plant` → `plant/#`), or the caller's own filter. */
export function browseFilter(parent: string | null): string {
  const p = parent?.trim() ?? '';
  if (p === '' || p === '#') return '#';
  if (p.includes('+') || p.includes('#')) return p;
  return `${p.replace(/\/+$/, '')}/#`;
}
