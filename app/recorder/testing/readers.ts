/**
 * Test helpers: read a batch file with readers that share no code with DuckDB — hyparquet
 * (pure JS, ZSTD through hyparquet-compressors) and parquet-wasm (arrow-rs). parquet-wasm
 * hands out Arrow data in WebAssembly memory; we read the C Data Interface structs directly
 * (wasm32 layout) instead of pulling in apache-arrow.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ParquetFile, readParquet, wasmMemory } from 'parquet-wasm/node';

export interface ReadBack {
  readonly rows: Record<string, unknown>[];
  readonly meta: Record<string, string>;
}

export async function readWithHyparquet(file: string): Promise<ReadBack> {
  const buf = await asyncBufferFromFile(file);
  const md = await parquetMetadataAsync(buf);
  const meta = Object.fromEntries((md.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? '']));
  const rows = (await parquetReadObjects({ file: buf, compressors })) as Record<string, unknown>[];
  return { rows, meta };
}

/** One ArrowArray struct (wasm32): i64 length, null_count, offset, n_buffers, n_children; then pointers. */
function arrowArray(mem: DataView, at: number) {
  return {
    length: Number(mem.getBigInt64(at, true)),
    offset: Number(mem.getBigInt64(at + 16, true)),
    buffers: mem.getUint32(at + 40, true),
    children: mem.getUint32(at + 44, true),
  };
}

export type WasmColumn = 'f64' | 'i64' | 'u8' | 'utf8';

/** The named columns of every row, decoded by the given Arrow physical type, plus the file's key-value metadata. */
export async function readWithParquetWasm(file: string, columns: Record<string, WasmColumn>): Promise<{ columns: Record<string, unknown[]>; meta: Record<string, string>; numRows: number }> {
  const bytes = new Uint8Array(await fs.readFile(file));
  const pf = await ParquetFile.fromFile(new Blob([bytes]));
  const kv = pf.metadata().fileMetadata().keyValueMetadata() as Map<string, string>;
  const names = Object.keys(columns);
  const table = readParquet(bytes, { columns: names });
  const out: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
  let numRows = 0;
  for (const batch of table.recordBatches()) {
    numRows += batch.numRows;
    const ffi = batch.toFFI();
    const mem = new DataView(wasmMemory().buffer);
    const struct = arrowArray(mem, ffi.arrayAddr());
    names.forEach((name, c) => {
      const child = arrowArray(mem, mem.getUint32(struct.children + 4 * c, true));
      const data = mem.getUint32(child.buffers + 4, true);
      const col = out[name] as unknown[];
      for (let i = child.offset; i < child.offset + child.length; i++) {
        switch (columns[name]) {
          case 'f64':
            col.push(mem.getFloat64(data + 8 * i, true));
            break;
          case 'i64':
            col.push(mem.getBigInt64(data + 8 * i, true));
            break;
          case 'u8':
            col.push(mem.getUint8(data + i));
            break;
          case 'utf8': {
            const values = mem.getUint32(child.buffers + 8, true);
            const a = mem.getInt32(data + 4 * i, true);
            const b = mem.getInt32(data + 4 * i + 4, true);
            col.push(new TextDecoder().decode(new Uint8Array(mem.buffer, values + a, b - a)));
            break;
          }
        }
      }
    });
    ffi.free();
  }
  return { columns: out, meta: Object.fromEntries(kv), numRows };
}

/** Every finished batch file below `dir` (staging parts and temporaries are not `.parquet`). */
export async function parquetFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => path.join(e.parentPath, e.name)).sort();
}
