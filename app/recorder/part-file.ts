/**
 * Staging parts written straight from the worker's typed arrays: a plain Parquet file (PLAIN
 * encoding, uncompressed, REQUIRED columns ts DOUBLE, signal UINT_32, value DOUBLE, quality
 * UINT_8 — the staged columns of copy-sql.ts) whose data pages are the arrays' own bytes. Any
 * Parquet reader opens it (DuckDB reads it back at close and in recovery); writing it costs a
 * write of the bytes, where appending to a DuckDB table and COPYing it cost most of a core.
 * The footer is Thrift compact protocol, encoded here for the few structures a file needs.
 */
import fs from 'node:fs/promises';

/** Staged rows as the part holds them; quality widened to 32 bits (Parquet stores UINT_8 as INT32). */
export interface PartColumns {
  readonly ts: Float64Array;
  readonly signal: Uint32Array;
  readonly value: Float64Array;
  readonly quality: Int32Array;
}

/** The columns in file order, with their Parquet physical type and converted type. */
const COLUMNS = [
  { name: 'ts', type: 5 /* DOUBLE */, converted: undefined, bytes: 8 },
  { name: 'signal', type: 1 /* INT32 */, converted: 13 /* UINT_32 */, bytes: 4 },
  { name: 'value', type: 5, converted: undefined, bytes: 8 },
  { name: 'quality', type: 1, converted: 11 /* UINT_8 */, bytes: 4 },
] as const;
export type PartColumn = (typeof COLUMNS)[number]['name'];
export const PART_COLUMNS: readonly PartColumn[] = COLUMNS.map((c) => c.name);
export const COLUMN_BYTES: Record<PartColumn, number> = { ts: 8, signal: 4, value: 8, quality: 4 };

// Thrift compact protocol: just what a Parquet footer and page header need.
type TValue = { i32: number } | { i64: number } | { bin: string } | { list: readonly TValue[]; of: number } | { struct: readonly TField[] };
type TField = readonly [id: number, value: TValue | undefined];

const I32 = 5, I64 = 6, BIN = 8, LIST = 9, STRUCT = 12;
const ctype = (v: TValue): number => ('i32' in v ? I32 : 'i64' in v ? I64 : 'bin' in v ? BIN : 'list' in v ? LIST : STRUCT);

class Out {
  private bytes: number[] = [];
  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }
  /** Unsigned varint of a non-negative integer below 2^53 (no 32-bit bit operations). */
  varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }
  /** ZigZag of a non-negative integer is twice it. */
  int(n: number): void {
    if (n < 0 || !Number.isSafeInteger(n)) throw new Error(`thrift: ${n} is not a non-negative safe integer`);
    this.varint(n * 2);
  }
  value(v: TValue): void {
    if ('i32' in v) this.int(v.i32);
    else if ('i64' in v) this.int(v.i64);
    else if ('bin' in v) {
      const b = Buffer.from(v.bin, 'utf8');
      this.varint(b.length);
      for (const x of b) this.byte(x);
    } else if ('list' in v) {
      if (v.list.length < 15) this.byte((v.list.length << 4) | v.of);
      else {
        this.byte(0xf0 | v.of);
        this.varint(v.list.length);
      }
      for (const item of v.list) this.value(item);
    } else this.struct(v.struct);
  }
  struct(fields: readonly TField[]): void {
    let last = 0;
    for (const [id, v] of fields) {
      if (v === undefined) continue;
      const delta = id - last;
      if (delta <= 0 || delta > 15) throw new Error('thrift: fields must ascend by at most 15');
      this.byte((delta << 4) | ctype(v));
      this.value(v);
      last = id;
    }
    this.byte(0);
  }
  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

const encode = (fields: readonly TField[]): Buffer => {
  const o = new Out();
  o.struct(fields);
  return o.buffer();
};

/** A v1 data page header for `n` PLAIN values of `size` bytes, no levels (REQUIRED, flat). */
function pageHeader(n: number, size: number): Buffer {
  const bytes = n * size;
  return encode([
    [1, { i32: 0 }], // DATA_PAGE
    [2, { i32: bytes }],
    [3, { i32: bytes }],
    [5, { struct: [[1, { i32: n }], [2, { i32: 0 }], [3, { i32: 3 }], [4, { i32: 3 }]] }], // PLAIN; levels RLE (none present)
  ]);
}

/** Where one column chunk's values start in the file: what the close reads back segment by segment. */
export interface ChunkLayout {
  readonly rows: number;
  /** File offset of the first value of each column in this row group. */
  readonly data: Record<PartColumn, number>;
}

interface WrittenChunk {
  readonly column: (typeof COLUMNS)[number];
  readonly pageOffset: number;
  readonly total: number;
  readonly rows: number;
}

/** Parquet limits a page to 2^31 bytes: a row group stays well below that. */
export const MAX_ROW_GROUP_ROWS = 64 * 1024 * 1024;

/**
 * Writes a part: row groups appended in order (each one data page per column), then the
 * footer with `kv` as key-value metadata. The caller makes the file durable (publish).
 */
export class PartFileWriter {
  private offset = 0;
  private readonly groups: { rows: number; chunks: WrittenChunk[] }[] = [];

  private constructor(private readonly handle: fs.FileHandle) {}

  static async create(file: string): Promise<PartFileWriter> {
    const w = new PartFileWriter(await fs.open(file, 'w'));
    await w.write(Buffer.from('PAR1'));
    return w;
  }

  private async write(b: Uint8Array): Promise<void> {
    let done = 0;
    while (done < b.byteLength) {
      const { bytesWritten } = await this.handle.write(b, done, b.byteLength - done, this.offset + done);
      done += bytesWritten;
    }
    this.offset += b.byteLength;
  }

  /** Rows [0, rows) of the columns as one row group; returns where each column's values sit. */
  async rowGroup(cols: PartColumns, rows: number): Promise<ChunkLayout> {
    if (rows > MAX_ROW_GROUP_ROWS) throw new Error(`a row group holds at most ${MAX_ROW_GROUP_ROWS} rows`);
    const chunks: WrittenChunk[] = [];
    const data = {} as Record<PartColumn, number>;
    for (const column of COLUMNS) {
      const a = cols[column.name];
      if (a.length < rows) throw new Error(`part column ${column.name} holds ${a.length} rows, ${rows} were to be written`);
      const header = pageHeader(rows, column.bytes);
      const pageOffset = this.offset;
      await this.write(header);
      data[column.name] = this.offset;
      await this.write(new Uint8Array(a.buffer, a.byteOffset, rows * column.bytes));
      chunks.push({ column, pageOffset, total: header.length + rows * column.bytes, rows });
    }
    this.groups.push({ rows, chunks });
    return { rows, data };
  }

  /** The footer, then closes the file. */
  async finish(kv: Record<string, string> = {}): Promise<void> {
    const rows = this.groups.reduce((n, g) => n + g.rows, 0);
    const schema: TValue[] = [
      { struct: [[4, { bin: 'parx_part' }], [5, { i32: COLUMNS.length }]] },
      ...COLUMNS.map((c): TValue => ({ struct: [[1, { i32: c.type }], [3, { i32: 0 /* REQUIRED */ }], [4, { bin: c.name }], [6, c.converted === undefined ? undefined : { i32: c.converted }]] })),
    ];
    const rowGroups = this.groups.map(
      (g): TValue => ({
        struct: [
          [
            1,
            {
              of: STRUCT,
              list: g.chunks.map(
                (ch): TValue => ({
                  struct: [
                    [2, { i64: ch.pageOffset }],
                    [
                      3,
                      {
                        struct: [
                          [1, { i32: ch.column.type }],
                          [2, { of: I32, list: [{ i32: 0 }, { i32: 3 }] }],
                          [3, { of: BIN, list: [{ bin: ch.column.name }] }],
                          [4, { i32: 0 }], // UNCOMPRESSED
                          [5, { i64: ch.rows }],
                          [6, { i64: ch.total }],
                          [7, { i64: ch.total }],
                          [9, { i64: ch.pageOffset }],
                        ],
                      },
                    ],
                  ],
                }),
              ),
            },
          ],
          [2, { i64: g.chunks.reduce((n, ch) => n + ch.total, 0) }],
          [3, { i64: g.rows }],
        ],
      }),
    );
    const footer = encode([
      [1, { i32: 1 }],
      [2, { of: STRUCT, list: schema }],
      [3, { i64: rows }],
      [4, { of: STRUCT, list: rowGroups }],
      [5, { of: STRUCT, list: Object.entries(kv).map(([k, v]): TValue => ({ struct: [[1, { bin: k }], [2, { bin: v }]] })) }],
      [6, { bin: 'parx staging part' }],
    ]);
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(footer.length, 0);
    tail.write('PAR1', 4, 'latin1');
    await this.write(footer);
    await this.write(tail);
    await this.handle.close();
  }

  /** Gives up (the caller removes the file). */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
