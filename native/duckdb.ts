/**
 * The DuckDB binding. One DuckDB instance per file per process, owned by one worker
 * (opening a .duckdb file twice in a process silently loses writes — see STACK-FACTS).
 * Everything else asks the owner; nothing else imports @duckdb/node-api.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export type { DuckDBConnection };

const open = new Set<string>();

/** Opens a database file (':memory:' for none), refusing a second open of the same file in this process. */
export async function openDuckDB(file = ':memory:'): Promise<{ connection: DuckDBConnection; connect(): Promise<DuckDBConnection>; close(): void }> {
  if (file !== ':memory:' && open.has(file)) throw new Error(`${file} is already open in this process; ask its owner instead of opening it twice`);
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  if (file !== ':memory:') open.add(file);
  return {
    connection,
    /** Another connection to the same instance: a query on it runs beside one on `connection`. Closed with the instance. */
    connect: () => instance.connect(),
    close() {
      connection.closeSync();
      instance.closeSync();
      open.delete(file);
    },
  };
}

/** Runs one query and returns plain JS rows (BigInt kept where DuckDB returns 64-bit integers). */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}
