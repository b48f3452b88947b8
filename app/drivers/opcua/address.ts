/**
 * OPC UA signal addresses: a NodeId as UaExpert and the PLC vendors print it
 * ("ns=1;s=Line.LineSpeed", "ns=2;i=1001", "i=2258", "ns=1;g=…", "ns=1;b=…") or a standard
 * node's symbolic name ("Server_ServerStatus_CurrentTime"), optionally followed by an array
 * index "[3]" to take one element of an array variable. A trailing "[digits]" is always read
 * as the index, so a string identifier that itself ends in "[n]" cannot be addressed.
 */
import { resolveNodeId } from 'node-opcua-nodeid';
import { err, ok, parxError, type Result } from '../../shared/result';

export interface OpcUaAddress {
  /** Canonical NodeId text, as node-opcua prints it ("ns=1;s=Line.LineSpeed", "ns=0;i=2258"). */
  readonly nodeId: string;
  /** Element of an array variable, read through an index range so only that element travels. */
  readonly index?: number;
}

/** Longer than any NodeId a PLC uses; keeps a pasted file from becoming an address. */
export const MAX_ADDRESS_LENGTH = 4096;
const MAX_INDEX = 2 ** 31 - 1;

const INDEX = /^(.*?)\s*\[\s*(\d+)\s*\]$/s;
const STRUCTURED = /^(?:ns=(\d+);)?([isgb])=(.*)$/s;
const SYMBOLIC = /^[A-Za-z][A-Za-z0-9_]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function invalid(text: string, why: string): Result<never> {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return err(parxError('invalid-request', `"${shown}" is not an OPC UA NodeId: ${why} (expected e.g. ns=1;s=Line.LineSpeed, ns=2;i=1001 or i=2258, optionally [index])`));
}

export function parseOpcUaAddress(input: string): Result<OpcUaAddress> {
  if (typeof input !== 'string') return invalid(String(input), 'not text');
  if (input.length > MAX_ADDRESS_LENGTH) return invalid(input, `longer than ${MAX_ADDRESS_LENGTH} characters`);
  let text = input.trim();
  if (text === '') return invalid(input, 'empty');
  let index: number | undefined;
  const indexed = INDEX.exec(text);
  if (indexed) {
    const n = Number(indexed[2]);
    if (!Number.isSafeInteger(n) || n > MAX_INDEX) return invalid(input, `array index ${indexed[2]} is too large`);
    index = n;
    text = (indexed[1] ?? '').trim();
  }
  if (text.startsWith('nsu=')) return invalid(input, 'namespace URIs (nsu=) are not supported yet; use ns=<index> as the server lists it');
  const structured = STRUCTURED.exec(text);
  if (structured) {
    const [, ns, kind, id = ''] = structured;
    if (ns !== undefined && Number(ns) > 65535) return invalid(input, `namespace index ${ns} is above 65535`);
    if (id === '') return invalid(input, 'the identifier after "=" is empty');
    if (kind === 'i' && !/^\d+$/.test(id)) return invalid(input, `numeric identifier "${id}" is not a whole number`);
    if (kind === 'i' && Number(id) > 0xffffffff) return invalid(input, `numeric identifier ${id} is above 4294967295`);
    if (kind === 'i' && Number(id) === 0 && Number(ns ?? 0) === 0) return invalid(input, 'i=0 is the null NodeId');
    if (kind === 'g' && !GUID.test(id)) return invalid(input, `"${id.slice(0, 40)}" is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
    if (kind === 'b' && !BASE64.test(id)) return invalid(input, 'an opaque identifier (b=) must be base64');
  } else if (!SYMBOLIC.test(text)) {
    return invalid(input, 'expected ns=<n>;i|s|g|b=<id> or a standard node name');
  }
  try {
    const nodeId = resolveNodeId(text).toString();
    // What node-opcua prints must read back as the same node, or the subscription would ask for another one.
    if (resolveNodeId(nodeId).toString() !== nodeId) return invalid(input, 'node-opcua reads it ambiguously');
    return ok(index === undefined ? { nodeId } : { nodeId, index });
  } catch (e) {
    return invalid(input, e instanceof Error && e.message ? e.message.replace(/\s+/g, ' ').slice(0, 120) : 'node-opcua cannot read it');
  }
}

/** The address as a user would type it back. */
export function formatOpcUaAddress(a: OpcUaAddress): string {
  const id = a.nodeId.startsWith('ns=0;') ? a.nodeId.slice(5) : a.nodeId;
  return a.index === undefined ? id : `${id}[${a.index}]`;
}
