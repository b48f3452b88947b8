/**
 * MQTT signal addresses:
 *   plant/line1/speed                 the payload is a plain number, or true/false
 *   plant/line1/json@$.line.speed     the payload is JSON; the path picks one value
 *   spb:GROUP/NODE[/DEVICE]:Metric    a Sparkplug B metric (topics spBv1.0/GROUP/…/NODE[/DEVICE])
 * A signal is one value, so the topic wildcards + and # belong to browsing only.
 */
import { err, ok, parxError, type Result } from '../../shared/result';
import { formatJsonPath, parseJsonPath, type PathSegment } from './json-path';

export type MqttAddress =
  | { readonly kind: 'plain'; readonly topic: string }
  | { readonly kind: 'json'; readonly topic: string; readonly path: readonly PathSegment[]; readonly pathText: string }
  | { readonly kind: 'spb'; readonly group: string; readonly node: string; readonly device?: string; readonly metric: string };

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

function bad(message: string): Result<never> {
  return err(parxError('invalid-request', message));
}

function checkTopic(topic: string, whole: string): Result<string> {
  if (topic.length === 0) return bad(`"${whole}": the topic is empty`);
  if (topic.includes('+') || topic.includes('#')) {
    return bad(`"${whole}": the wildcards + and # are for browsing; a signal is one value, so name one topic (e.g. plant/line1/speed)`);
  }
  if (topic.includes('\u0000')) return bad(`"${whole}": a topic must not contain a NUL character`);
  if (topic.startsWith(`${SPARKPLUG_NAMESPACE}/`)) {
    return bad(`"${whole}" is a Sparkplug B topic: address one metric as spb:GROUP/NODE[/DEVICE]:Metric`);
  }
  return ok(topic);
}

/** A Sparkplug id (group, node, device) is one topic level: not empty, no / + #. */
function checkSpbId(id: string, what: string, whole: string): Result<string> {
  if (id.length === 0) return bad(`"${whole}": the Sparkplug ${what} id is empty (expected spb:GROUP/NODE[/DEVICE]:Metric)`);
  if (/[+#]/.test(id)) return bad(`"${whole}": the Sparkplug ${what} id must not contain + or # — a signal is one metric`);
  return ok(id);
}

function parseSparkplug(body: string, whole: string): Result<MqttAddress> {
  // Ids are single topic levels without ':' in practice; the metric name may contain anything.
  const colon = body.indexOf(':');
  if (colon < 0) return bad(`"${whole}": expected spb:GROUP/NODE[/DEVICE]:Metric (the ":" before the metric name is missing)`);
  const ids = body.slice(0, colon).split('/');
  const metric = body.slice(colon + 1);
  if (ids.length < 2 || ids.length > 3) return bad(`"${whole}": expected GROUP/NODE or GROUP/NODE/DEVICE before ":", got ${ids.length} part(s)`);
  if (metric.length === 0) return bad(`"${whole}": the metric name after ":" is empty`);
  const [group, node, device] = ids as [string, string, string | undefined];
  const g = checkSpbId(group, 'group', whole);
  if (!g.ok) return g;
  const n = checkSpbId(node, 'edge node', whole);
  if (!n.ok) return n;
  if (device !== undefined) {
    const d = checkSpbId(device, 'device', whole);
    if (!d.ok) return d;
    return ok({ kind: 'spb', group, node, device, metric });
  }
  return ok({ kind: 'spb', group, node, metric });
}

export function parseMqttAddress(text: string): Result<MqttAddress> {
  const whole = text.trim();
  if (whole.length === 0) return bad('the address is empty (expected a topic, topic@$.json.path or spb:GROUP/NODE:Metric)');
  if (/^spb:/i.test(whole)) return parseSparkplug(whole.slice(4), whole);
  // The first "@$" starts the JSON path; a topic may still contain a plain "@".
  const at = whole.indexOf('@$');
  if (at < 0) {
    const t = checkTopic(whole, whole);
    return t.ok ? ok({ kind: 'plain', topic: t.value }) : t;
  }
  const t = checkTopic(whole.slice(0, at), whole);
  if (!t.ok) return t;
  const pathText = whole.slice(at + 1);
  const path = parseJsonPath(pathText);
  if (!path.ok) return bad(`"${whole}": ${path.error.message}`);
  return ok({ kind: 'json', topic: t.value, path: path.value, pathText: formatJsonPath(path.value) });
}

export function formatMqttAddress(a: MqttAddress): string {
  switch (a.kind) {
    case 'plain':
      return a.topic;
    case 'json':
      return `${a.topic}@${formatJsonPath(a.path)}`;
    case 'spb':
      return `spb:${a.group}/${a.node}${a.device === undefined ? '' : `/${a.device}`}:${a.metric}`;
  }
}

/** The topic filter that carries an address's values: for Sparkplug, every message of its edge node (sequence numbers span the node and all its devices). */
export function topicFilter(a: MqttAddress): string {
  return a.kind === 'spb' ? `${SPARKPLUG_NAMESPACE}/${a.group}/+/${a.node}/#` : a.topic;
}
