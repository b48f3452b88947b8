/**
 * EtherNet/IP to Logix controllers through ethernet-ip's Controller, Tag and TagGroup
 * (client.ts makes the library safe to run in the collector). Each polling group becomes
 * one TagGroup, read once per cycle as Multiple Service Packets. An unknown tag spoils
 * only its own value (bad, with the CIP status); a socket error, a timeout or a malformed
 * reply means the link is broken and the collector reconnects.
 */
import { Tag, TagGroup } from 'ethernet-ip';
import { EnipConnectionSchema, describeProblems, zodProblems, type EnipConnectionConfig } from '../../shared/contract';
import { err, ok, parxError, type Result } from '../../shared/result';
import { Quality } from '../../shared/samples';
import type { BrowseItem, DriverSession, PreparedRead, ProtocolDriver, ReadResult } from '../driver';
import { parseEnipAddress, type EnipAddress } from './address';
import { decodeTagData } from './atomic';
import { browseTags } from './browse';
import { Status, statusText } from './cip';
import { LogixClient } from './client';

interface EnipPrepared extends PreparedRead {
  readonly addresses: readonly EnipAddress[];
  /** Per address: the TagGroup id of its tag, or why the library would not build it. */
  readonly tagIds: readonly ({ id: string } | { error: string })[];
  readonly messages: readonly { data: Buffer; tag_ids: string[] }[];
}

class EnipSession implements DriverSession<EnipAddress, EnipPrepared> {
  private readonly client = new LogixClient();

  constructor(private readonly config: EnipConnectionConfig) {}

  async connect(): Promise<void> {
    const { host, port, slot, timeoutMs } = this.config;
    await this.client.open(host, port, slot, timeoutMs);
  }

  prepare(addresses: readonly EnipAddress[]): EnipPrepared {
    const group = new TagGroup();
    const tagIds = addresses.map((a) => {
      try {
        const tag = new Tag(a.tag);
        group.add(tag);
        return { id: tag.instance_id };
      } catch (e) {
        return { error: `${a.tag}: ${e instanceof Error ? e.message : String(e)}` };
      }
    });
    const messages = LogixClient.groupMessages(group);
    return {
      addresses,
      tagIds,
      messages,
      requests: messages.length,
      describe: messages.map((m, i) => `Multiple Service Packet ${i + 1}: ${m.tag_ids.length} tag(s)`),
    };
  }

  async read(p: EnipPrepared): Promise<ReadResult> {
    const n = p.addresses.length;
    const values = new Float64Array(n).fill(NaN);
    const quality = new Uint8Array(n).fill(Quality.bad);
    const errors = new Set<string>();
    const replies = await this.client.readGroup(p.messages, this.config.timeoutMs);
    for (let i = 0; i < n; i++) {
      const a = p.addresses[i] as EnipAddress;
      const t = p.tagIds[i];
      if (!t || 'error' in t) {
        errors.add(t?.error ?? `${a.tag}: not prepared`);
        continue;
      }
      const r = replies.get(t.id);
      if (!r) continue;
      if ('error' in r) {
        errors.add(`${a.tag}: ${r.error}`);
        continue;
      }
      if (r.reply.status !== Status.success) {
        errors.add(`${a.tag}: ${statusText(r.reply.status, r.reply.extended)}`);
        continue;
      }
      const decoded = decodeTagData(r.reply.data);
      if (!decoded.ok) {
        errors.add(`${a.tag}: ${decoded.error.message}`);
        continue;
      }
      const v = decoded.value.values[0] as number;
      if (a.bit !== null) {
        if (decoded.value.type === 0xca || decoded.value.type === 0xc1) {
          errors.add(`${a.tag}: a bit of a ${decoded.value.type === 0xca ? 'REAL' : 'BOOL'} cannot be addressed`);
          continue;
        }
        values[i] = Math.floor(v / 2 ** a.bit) % 2 === 0 ? 0 : 1;
      } else {
        values[i] = v;
      }
      quality[i] = Quality.good;
    }
    return { values, quality, errors: [...errors], requests: p.messages.length };
  }

  browse(parent: string | null, opts: { timeoutMs: number }): Promise<BrowseItem[]> {
    return browseTags(this.client, parent, opts.timeoutMs);
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }

  onDrop(listener: (reason: string) => void): void {
    this.client.onDrop(listener);
  }
}

/** enip://host:port?slot=0&timeout=1000 (port defaults to 44818). */
function connectionFromUrl(text: string, name = 'probe'): Result<EnipConnectionConfig> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(parxError('invalid-request', `"${text}" is not a URL (expected enip://HOST:PORT?slot=0)`));
  }
  if (url.protocol !== 'enip:') return err(parxError('invalid-request', `"${text}" is not an enip:// URL`));
  const num = (key: string, fallback: number): number => (url.searchParams.has(key) ? Number(url.searchParams.get(key)) : fallback);
  const parsed = EnipConnectionSchema.safeParse({
    name,
    protocol: 'enip',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 44818,
    slot: num('slot', 0),
    timeoutMs: num('timeout', 1000),
  });
  if (!parsed.success) return err(parxError('invalid-request', `${text}: ${describeProblems(zodProblems(parsed.error))}`));
  return ok(parsed.data);
}

export const enipDriver: ProtocolDriver<EnipConnectionConfig, EnipAddress> = {
  protocol: 'enip',
  mode: 'poll',
  connectionFromUrl,
  parseAddress: parseEnipAddress,
  endpoint: (c) => `enip://${c.host}:${c.port}?slot=${c.slot}`,
  open: (c) => new EnipSession(c),
};
