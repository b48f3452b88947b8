/**
 * Lazy browsing of a server's address space, one level per call: the objects and variables
 * under a node (the Objects folder when none), each with what the signal editor shows — data
 * type (with array shape), the logged-in user's access, description, and whether it has
 * children to open. Three round trips per level: browse, read attributes, peek below.
 */
import { AttributeIds, BrowseDirection, DataType, NodeClass, NodeClassMask, type BrowseDescriptionOptions, type BrowseResult, type ClientSession, type DataValue, type ReferenceDescription } from 'node-opcua';
import type { BrowseItem } from '../driver';
import { formatOpcUaAddress, parseOpcUaAddress } from './address';
import { describeStatus } from './values';

const FOLDER_TYPE = 'ns=0;i=61';
const OBJECTS_FOLDER = 'ns=0;i=85';
/** A level with more than this is cut short; nobody picks a signal from a longer list. */
const MAX_ITEMS = 5000;

export function accessText(level: number): string {
  const read = (level & 1) !== 0;
  const write = (level & 2) !== 0;
  return read && write ? 'read/write' : read ? 'read' : write ? 'write' : 'none';
}

function description(level: number): BrowseDescriptionOptions {
  return { nodeId: '', browseDirection: BrowseDirection.Forward, referenceTypeId: 'HierarchicalReferences', includeSubtypes: true, nodeClassMask: level, resultMask: 0x3f };
}

function checkStatus(r: BrowseResult, what: string): void {
  if (r.statusCode.value !== 0) throw new Error(`browse ${what}: ${describeStatus(r.statusCode.value)}`);
}

async function children(session: ClientSession, nodeId: string): Promise<ReferenceDescription[]> {
  const mask = NodeClassMask.Object | NodeClassMask.Variable;
  let result = await session.browse({ ...description(mask), nodeId });
  checkStatus(result, nodeId);
  const refs = [...(result.references ?? [])];
  while (result.continuationPoint && result.continuationPoint.length > 0 && refs.length < MAX_ITEMS) {
    result = await session.browseNext(result.continuationPoint, false);
    checkStatus(result, nodeId);
    refs.push(...(result.references ?? []));
  }
  if (result.continuationPoint && result.continuationPoint.length > 0) await session.browseNext(result.continuationPoint, true).catch(() => undefined);
  return refs.slice(0, MAX_ITEMS);
}

function num(dv: DataValue | undefined): number | undefined {
  const v: unknown = dv?.value.value;
  return typeof v === 'number' ? v : undefined;
}

/** Built-in types by name; other data types (enums, structures) by their browse name. */
async function dataTypeNames(session: ClientSession, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const unknown: string[] = [];
  for (const id of new Set(ids)) {
    const m = /^ns=0;i=(\d+)$/.exec(id);
    const builtin = m ? (DataType as unknown as Record<number, string | undefined>)[Number(m[1])] : undefined;
    if (builtin) names.set(id, builtin);
    else unknown.push(id);
  }
  if (unknown.length) {
    const read = await session.read(unknown.map((nodeId) => ({ nodeId, attributeId: AttributeIds.BrowseName })));
    unknown.forEach((id, i) => {
      const qn = read[i]?.value.value as { name?: unknown } | null | undefined;
      names.set(id, typeof qn?.name === 'string' ? qn.name : id);
    });
  }
  return names;
}

export async function browseLevel(session: ClientSession, parent: string | null): Promise<BrowseItem[]> {
  let nodeId = OBJECTS_FOLDER;
  if (parent !== null && parent.trim() !== '') {
    const p = parseOpcUaAddress(parent);
    if (!p.ok) throw new Error(p.error.message);
    nodeId = p.value.nodeId;
  }
  const refs = await children(session, nodeId);
  if (refs.length === 0) return [];
  const ids = refs.map((r) => r.nodeId.toString());
  const variables = refs.flatMap((r, i) => (r.nodeClass === NodeClass.Variable ? [i] : []));
  const attrs = [AttributeIds.DataType, AttributeIds.UserAccessLevel, AttributeIds.ValueRank, AttributeIds.ArrayDimensions, AttributeIds.Description];
  const [below, read] = await Promise.all([
    session.browse(ids.map((id) => ({ ...description(NodeClassMask.Object | NodeClassMask.Variable), nodeId: id, resultMask: 0 }))),
    variables.length ? session.read(variables.flatMap((i) => attrs.map((attributeId) => ({ nodeId: ids[i] as string, attributeId })))) : Promise.resolve([] as DataValue[]),
  ]);
  for (const b of below) if (b.continuationPoint && b.continuationPoint.length > 0) void session.browseNext(b.continuationPoint, true).catch(() => undefined);
  const varAttrs = new Map(variables.map((refIndex, k) => [refIndex, read.slice(k * attrs.length, (k + 1) * attrs.length)]));
  const typeIds = [...varAttrs.values()].map((a) => String((a[0]?.value.value as { toString(): string } | null | undefined)?.toString() ?? ''));
  const typeNames = await dataTypeNames(session, typeIds.filter((t) => t !== ''));

  return refs.map((r, i): BrowseItem => {
    const id = ids[i] as string;
    const name = r.displayName.text ?? r.browseName.name ?? id;
    const hasChildren = (below[i]?.references?.length ?? 0) > 0;
    const shown = formatOpcUaAddress({ nodeId: id });
    if (r.nodeClass !== NodeClass.Variable) {
      const kind = r.typeDefinition.toString() === FOLDER_TYPE ? 'folder' : 'object';
      return { id: shown, name, kind, hasChildren };
    }
    const [dt, access, rank, dims, desc] = varAttrs.get(i) ?? [];
    const typeId = String((dt?.value.value as { toString(): string } | null | undefined)?.toString() ?? '');
    let dataType = typeNames.get(typeId) ?? (typeId || undefined);
    const valueRank = num(rank) ?? -1;
    if (dataType && valueRank >= 1) {
      const d: unknown = dims?.value.value;
      const shape = d && typeof d === 'object' && 'length' in d ? Array.from(d as ArrayLike<number>).map((n) => (n > 0 ? String(n) : '')).join(',') : '';
      dataType = `${dataType}[${shape}]`;
    }
    const accessLevel = num(access);
    const text = (desc?.value.value as { text?: unknown } | null | undefined)?.text;
    return {
      id: shown,
      name,
      kind: 'variable',
      hasChildren,
      ...(dataType ? { dataType } : {}),
      ...(accessLevel !== undefined ? { access: accessText(accessLevel) } : {}),
      ...(typeof text === 'string' && text ? { description: text } : {}),
    };
  });
}
