/**
 * The simulated controller's message router: one CIP request in, one reply out. Unknown
 * tags, bad paths and unsupported services answer with the CIP general status a Logix
 * controller gives — never silence, so a client never hangs on a bad request.
 */
import { atomicType, CipType, typeSize } from '../../drivers/enip/atomic';
import {
  Service,
  Status,
  decodeMultiple,
  decodeRequest,
  decodeUnconnectedSend,
  encodeMultiple,
  encodeReply,
  type CipRequest,
} from '../../drivers/enip/cip';
import { encodeIdentityAttributes, type Identity } from '../../drivers/enip/encap';
import { SYMBOL_CLASS, decodeAttributeIds, encodeSymbolList } from '../../drivers/enip/symbols';
import type { LogixTags } from './tags';

/** Read Tag answers at most this much data before it says "partial transfer" (a Logix UCMM reply holds ~500 bytes). */
export const MAX_REPLY_DATA = 480;
const SYMBOLS_PER_REPLY = 8;

export const SIM_IDENTITY: Identity = {
  vendorId: 1,
  deviceType: 0x0e,
  productCode: 166,
  revision: [33, 11],
  status: 0x3060,
  serial: 0x00c0ffee,
  productName: '1756-L83E/B ParX Sim',
};

export interface RouterContext {
  readonly tags: LogixTags;
  readonly slot: number;
}

const reply = (service: number, status: number, data: Buffer = Buffer.alloc(0), extended: readonly number[] = []): Buffer =>
  encodeReply({ service, status, extended, data });

/** A message as it arrives in the UCMM item: an Unconnected Send to the slot, or a request for the router itself. */
export function handleMessage(ctx: RouterContext, message: Buffer): Buffer {
  const req = decodeRequest(message);
  if (!req.ok) return reply((message[0] ?? 0) & 0x7f, Status.pathSegmentError);
  const r = req.value;
  const toConnectionManager = r.path.length === 2 && r.path[0]?.kind === 'class' && r.path[0].value === 0x06;
  if (r.service === Service.UnconnectedSend && toConnectionManager) {
    const us = decodeUnconnectedSend(r.data);
    if (!us.ok) return reply(r.service, Status.notEnoughData);
    const hop = us.value.route[0];
    if (us.value.route.length !== 1 || hop?.kind !== 'port' || hop.port !== 1 || hop.link !== ctx.slot) {
      return reply(r.service, Status.connectionFailure, Buffer.alloc(0), [0x0312]);
    }
    const inner = decodeRequest(us.value.message);
    if (!inner.ok) return reply((us.value.message[0] ?? 0) & 0x7f, Status.pathSegmentError);
    return route(ctx, inner.value, true);
  }
  return route(ctx, r, true);
}

function route(ctx: RouterContext, r: CipRequest, allowMultiple: boolean): Buffer {
  switch (r.service) {
    case Service.ReadTag:
      return readTag(ctx, r);
    case Service.ReadTagFragmented:
      return readTagFragmented(ctx, r);
    case Service.WriteTag:
      return writeTag(ctx, r);
    case Service.MultipleServicePacket:
      return allowMultiple ? multiple(ctx, r) : reply(r.service, Status.serviceNotSupported);
    case Service.GetAttributeAll:
      return isObject(r, 0x01, 1) ? reply(r.service, Status.success, encodeIdentityAttributes(SIM_IDENTITY)) : reply(r.service, Status.pathDestinationUnknown);
    case Service.GetInstanceAttributeList:
      return symbolList(ctx, r);
    default:
      return reply(r.service, Status.serviceNotSupported);
  }
}

function isObject(r: CipRequest, cls: number, instance: number): boolean {
  const [c, i] = r.path;
  return r.path.length === 2 && c?.kind === 'class' && c.value === cls && i?.kind === 'instance' && i.value === instance;
}

function readTag(ctx: RouterContext, r: CipRequest): Buffer {
  if (r.data.length < 2) return reply(r.service, Status.notEnoughData);
  const found = ctx.tags.resolve(r.path);
  if ('status' in found) return reply(r.service, found.status, Buffer.alloc(0), found.extended);
  const count = r.data.readUInt16LE(0);
  if (count === 0 || count > ctx.tags.elementsLeft(found.tag, found.index)) return reply(r.service, Status.generalError, Buffer.alloc(0), [0x2105]);
  const size = typeSize(found.tag.type);
  const fits = Math.floor(MAX_REPLY_DATA / size);
  const n = Math.min(count, fits);
  const head = Buffer.alloc(2);
  head.writeUInt16LE(CipType[found.tag.type], 0);
  return reply(r.service, n < count ? Status.partialTransfer : Status.success, Buffer.concat([head, ctx.tags.encode(found.tag, found.index, n)]));
}

function readTagFragmented(ctx: RouterContext, r: CipRequest): Buffer {
  if (r.data.length < 6) return reply(r.service, Status.notEnoughData);
  const found = ctx.tags.resolve(r.path);
  if ('status' in found) return reply(r.service, found.status, Buffer.alloc(0), found.extended);
  const count = r.data.readUInt16LE(0);
  const offset = r.data.readUInt32LE(2);
  if (count === 0 || count > ctx.tags.elementsLeft(found.tag, found.index)) return reply(r.service, Status.generalError, Buffer.alloc(0), [0x2105]);
  const all = ctx.tags.encode(found.tag, found.index, count);
  if (offset > all.length) return reply(r.service, Status.generalError, Buffer.alloc(0), [0x2104]);
  const chunk = all.subarray(offset, offset + MAX_REPLY_DATA - (MAX_REPLY_DATA % 8));
  const head = Buffer.alloc(2);
  head.writeUInt16LE(CipType[found.tag.type], 0);
  const more = offset + chunk.length < all.length;
  return reply(r.service, more ? Status.partialTransfer : Status.success, Buffer.concat([head, chunk]));
}

function writeTag(ctx: RouterContext, r: CipRequest): Buffer {
  if (r.data.length < 4) return reply(r.service, Status.notEnoughData);
  const found = ctx.tags.resolve(r.path);
  if ('status' in found) return reply(r.service, found.status, Buffer.alloc(0), found.extended);
  const type = atomicType(r.data.readUInt16LE(0));
  const count = r.data.readUInt16LE(2);
  if (type !== found.tag.type) return reply(r.service, Status.generalError, Buffer.alloc(0), [0x2107]);
  if (count === 0 || count > ctx.tags.elementsLeft(found.tag, found.index)) return reply(r.service, Status.generalError, Buffer.alloc(0), [0x2105]);
  const size = typeSize(type);
  if (r.data.length < 4 + size * count) return reply(r.service, Status.notEnoughData);
  if (r.data.length > 4 + size * count) return reply(r.service, Status.tooMuchData);
  const values: number[] = [];
  for (let k = 0; k < count; k++) {
    const at = 4 + k * size;
    values.push(
      type === 'REAL' ? r.data.readFloatLE(at)
      : type === 'LINT' ? Number(r.data.readBigInt64LE(at))
      : type === 'DINT' ? r.data.readInt32LE(at)
      : type === 'INT' ? r.data.readInt16LE(at)
      : type === 'SINT' ? r.data.readInt8(at)
      : r.data.readUInt8(at) ? 1 : 0,
    );
  }
  ctx.tags.write(found.tag, found.index, values);
  return reply(r.service, Status.success);
}

/** Like Logix: the packet succeeds as a whole unless an embedded service fails, then 0x1E with every reply inside. */
function multiple(ctx: RouterContext, r: CipRequest): Buffer {
  if (!isObject(r, 0x02, 1)) return reply(r.service, Status.pathDestinationUnknown);
  const parts = decodeMultiple(r.data);
  if (!parts.ok) return reply(r.service, Status.notEnoughData);
  let failed = false;
  const replies = parts.value.map((m) => {
    const inner = decodeRequest(m);
    const out = inner.ok ? route(ctx, inner.value, false) : reply((m[0] ?? 0) & 0x7f, Status.pathSegmentError);
    if ((out[2] ?? 0) !== Status.success) failed = true;
    return out;
  });
  return reply(r.service, failed ? Status.embeddedServiceError : Status.success, encodeMultiple(replies));
}

function symbolList(ctx: RouterContext, r: CipRequest): Buffer {
  const last = r.path.length;
  const cls = r.path[last - 2];
  const inst = r.path[last - 1];
  const scope = r.path[0];
  if (cls?.kind !== 'class' || cls.value !== SYMBOL_CLASS || inst?.kind !== 'instance') return reply(r.service, Status.serviceNotSupported);
  if (last > 3 || (last === 3 && scope?.kind !== 'symbol')) return reply(r.service, Status.pathSegmentError);
  const entries = ctx.tags.symbols(last === 3 && scope?.kind === 'symbol' ? scope.name : null);
  if (!entries) return reply(r.service, Status.pathDestinationUnknown);
  const attrs = decodeAttributeIds(r.data);
  if (!attrs.ok) return reply(r.service, Status.notEnoughData);
  if (attrs.value.some((a) => a !== 1 && a !== 2 && a !== 8)) return reply(r.service, Status.attributeNotSupported);
  const from = entries.filter((e) => e.instance >= inst.value);
  const page = from.slice(0, SYMBOLS_PER_REPLY);
  return reply(r.service, from.length > page.length ? Status.partialTransfer : Status.success, encodeSymbolList(page, attrs.value));
}
