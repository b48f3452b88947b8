/**
 * What a Sparkplug B host must remember per edge node, and nothing else:
 * - the alias → name maps from NBIRTH (node metrics) and DBIRTH (each device), because
 *   NDATA/DDATA may carry only the alias;
 * - the sequence number (0..255, one counter for the node and all its devices). A gap
 *   means messages were lost: it is reported once, and every value from that node is
 *   marked uncertain until its next NBIRTH (asking the node for a rebirth via NCMD is not
 *   done — ParX only listens);
 * - NDEATH / DDEATH: the node's (or device's) values go stale.
 * Until ParX has seen a birth it checks sequence continuity from the first message it sees,
 * resolves metrics that carry their name, and reports alias-only metrics once as unknown.
 * Pure: messages in, updates out; the driver maps them to signals.
 */
import { Quality } from '../../shared/samples';
import { decodeSpbPayload, formatSpbTopic, type SpbMetric, type SpbTopic } from './sparkplug';

export interface SpbValue {
  readonly name: string;
  /** A number, or absent with `reason`. */
  readonly value?: number;
  readonly reason?: string;
  /** The metric's timestamp, else the payload's, when either is present. */
  readonly ts?: number;
}

export interface SpbUpdate {
  readonly group: string;
  readonly node: string;
  readonly device?: string;
  /** 'node': the node and all its devices died; 'device': that device only. */
  readonly death?: 'node' | 'device';
  readonly values: readonly SpbValue[];
  /** Quality for the values: uncertain after a sequence gap until the next NBIRTH. */
  readonly quality: number;
  readonly errors: readonly string[];
}

interface NodeState {
  seq: number | undefined;
  suspect: boolean;
  readonly nodeAliases: Map<number, string>;
  readonly deviceAliases: Map<string, Map<number, string>>;
  /** Aliases already reported as unknown, so a fast node does not flood the log. */
  readonly reported: Set<string>;
}

function freshState(seq: number | undefined): NodeState {
  return { seq, suspect: false, nodeAliases: new Map(), deviceAliases: new Map(), reported: new Set() };
}

function nodeName(t: SpbTopic): string {
  return `${t.group}/${t.node}`;
}

export class SparkplugTracker {
  private readonly nodes = new Map<string, NodeState>();

  handle(topic: SpbTopic, bytes: Uint8Array): SpbUpdate {
    const base = { group: topic.group, node: topic.node, ...(topic.device === undefined ? {} : { device: topic.device }) };
    const errors: string[] = [];
    if (topic.type === 'NCMD' || topic.type === 'DCMD') return { ...base, values: [], quality: Quality.good, errors };
    const where = formatSpbTopic(topic);
    const decoded = decodeSpbPayload(bytes);
    if (!decoded.ok) return { ...base, values: [], quality: Quality.good, errors: [`${where}: ${decoded.error}`] };
    const payload = decoded.value;
    const key = nodeName(topic);

    if (topic.type === 'NDEATH') {
      // The next message from this node must be an NBIRTH; its sequence restarts there.
      const state = this.nodes.get(key);
      if (state) state.seq = undefined;
      return { ...base, death: 'node', values: [], quality: Quality.stale, errors };
    }

    let state = this.nodes.get(key);
    if (topic.type === 'NBIRTH') {
      state = freshState(payload.seq);
      this.nodes.set(key, state);
    } else {
      if (!state) {
        state = freshState(undefined);
        this.nodes.set(key, state);
      }
      this.checkSequence(state, payload.seq, key, where, errors);
    }

    if (topic.type === 'DDEATH') return { ...base, death: 'device', values: [], quality: Quality.stale, errors };

    let aliases: Map<number, string>;
    if (topic.device === undefined) {
      aliases = state.nodeAliases;
    } else {
      if (topic.type === 'DBIRTH') {
        state.deviceAliases.set(topic.device, new Map());
        for (const id of state.reported) if (id.startsWith(`${topic.device}#`)) state.reported.delete(id);
      }
      aliases = state.deviceAliases.get(topic.device) ?? new Map<number, string>();
      state.deviceAliases.set(topic.device, aliases);
    }
    const isBirth = topic.type === 'NBIRTH' || topic.type === 'DBIRTH';
    const values: SpbValue[] = [];
    for (const m of payload.metrics) {
      if (isBirth && m.name !== undefined && m.alias !== undefined) aliases.set(m.alias, m.name);
      const name = m.name ?? (m.alias === undefined ? undefined : aliases.get(m.alias));
      if (name === undefined) {
        this.reportUnknownAlias(state, topic, m, where, errors);
        continue;
      }
      values.push(toValue(name, m, payload.ts));
    }
    return { ...base, values, quality: state.suspect ? Quality.uncertain : Quality.good, errors };
  }

  private checkSequence(state: NodeState, seq: number | undefined, key: string, where: string, errors: string[]): void {
    if (seq === undefined) return;
    if (state.seq !== undefined && seq !== (state.seq + 1) % 256) {
      errors.push(`${where}: Sparkplug sequence gap on ${key} (expected ${(state.seq + 1) % 256}, got ${seq}): messages were lost; its values are uncertain until the node's next birth`);
      state.suspect = true;
    }
    state.seq = seq;
  }

  private reportUnknownAlias(state: NodeState, topic: SpbTopic, m: SpbMetric, where: string, errors: string[]): void {
    const id = `${topic.device ?? ''}#${m.alias ?? 'none'}`;
    if (state.reported.has(id)) return;
    state.reported.add(id);
    errors.push(
      m.alias === undefined
        ? `${where}: a metric has neither name nor alias`
        : `${where}: metric alias ${m.alias} is unknown — no birth seen since ParX subscribed (the edge node must publish a new ${topic.device === undefined ? 'NBIRTH' : 'DBIRTH'})`,
    );
  }
}

function toValue(name: string, m: SpbMetric, payloadTs: number | undefined): SpbValue {
  const ts = m.ts ?? payloadTs;
  return {
    name,
    ...(m.value === undefined ? { reason: `metric ${name} ${m.reason ?? 'has no value'}` } : { value: m.value }),
    ...(ts === undefined ? {} : { ts }),
  };
}
