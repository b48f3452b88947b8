/**
 * The tag browser: pages through the Symbol object's instance list (controller scope, or
 * a program's) and turns it into browse items. Programs and arrays open as folders;
 * system tags (`__…`, bit 12) are hidden as RSLogix hides them.
 */
import type { BrowseItem } from '../driver';
import { Status, encodeRequest, statusText } from './cip';
import type { LogixClient } from './client';
import { SymbolTypeBits, decodeSymbolList, describeSymbolType, symbolListRequest, type SymbolEntry } from './symbols';

const MAX_PAGES = 1000;
const MAX_ELEMENTS = 1000;

async function listScope(client: LogixClient, program: string | undefined, timeoutMs: number): Promise<SymbolEntry[]> {
  const all: SymbolEntry[] = [];
  let from = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await client.request(encodeRequest(symbolListRequest(from, program)), timeoutMs);
    if (reply.status !== Status.success && reply.status !== Status.partialTransfer) {
      throw new Error(`tag list${program ? ` of ${program}` : ''}: ${statusText(reply.status, reply.extended)}`);
    }
    const entries = decodeSymbolList(reply.data);
    if (!entries.ok) throw new Error(entries.error.message);
    all.push(...entries.value);
    const last = entries.value.at(-1);
    if (reply.status === Status.success || !last) return all;
    from = last.instance + 1;
  }
  throw new Error(`tag list: more than ${MAX_PAGES} pages`);
}

const isSystem = (e: SymbolEntry): boolean => e.name.startsWith('__') || (!e.name.startsWith('Program:') && (e.type & SymbolTypeBits.system) !== 0);
const dimsOf = (e: SymbolEntry): number => (e.type >> SymbolTypeBits.dimsShift) & 0x3;

function item(prefix: string, e: SymbolEntry): BrowseItem {
  if (e.name.startsWith('Program:')) return { id: e.name, name: e.name, kind: 'folder', hasChildren: true, dataType: 'program' };
  const id = `${prefix}${e.name}`;
  const struct = (e.type & SymbolTypeBits.struct) !== 0;
  return {
    id,
    name: e.name,
    kind: 'tag',
    hasChildren: dimsOf(e) === 1 && !struct,
    dataType: describeSymbolType(e),
    ...(struct ? { description: 'structure (UDT): address its atomic members, e.g. Tag.Member' } : {}),
  };
}

/** null → controller tags and programs; `Program:Main` → its tags; `Arr` / `Program:Main.Arr` → its elements. */
export async function browseTags(client: LogixClient, parent: string | null, timeoutMs: number): Promise<BrowseItem[]> {
  if (parent === null) return (await listScope(client, undefined, timeoutMs)).filter((e) => !isSystem(e)).map((e) => item('', e));
  const prog = /^(Program:[^.]+)(?:\.(.+))?$/.exec(parent);
  const program = prog?.[1];
  const arrayName = prog ? prog[2] : parent;
  const entries = (await listScope(client, program, timeoutMs)).filter((e) => !isSystem(e));
  const prefix = program ? `${program}.` : '';
  if (arrayName === undefined) return entries.map((e) => item(prefix, e));
  const array = entries.find((e) => e.name.toLowerCase() === arrayName.toLowerCase());
  if (!array || dimsOf(array) !== 1) throw new Error(`"${parent}" is not a one-dimensional array tag`);
  const type = describeSymbolType({ ...array, type: array.type & 0x9fff });
  return Array.from({ length: Math.min(array.dims[0], MAX_ELEMENTS) }, (_, i) => ({
    id: `${prefix}${array.name}[${i}]`,
    name: `${array.name}[${i}]`,
    kind: 'tag' as const,
    hasChildren: false,
    dataType: type,
  }));
}
