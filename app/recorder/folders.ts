/** Where a workspace's batch files go: the rule's destination (relative to the workspace) or <workspace>/recordings. */
import path from 'node:path';

export function recordingsFolder(workspace: string, destination?: string): string {
  return destination ? path.resolve(workspace, destination) : path.join(workspace, 'recordings');
}

/** The catalog of every batch: one DuckDB file, owned by the catalog worker. */
export const catalogFile = (workspace: string): string => path.join(workspace, 'catalog.duckdb');

/** Every archive and deletion by the cleanup job, one JSON object a line. */
export const retentionLog = (workspace: string): string => path.join(workspace, 'retention.log.jsonl');
