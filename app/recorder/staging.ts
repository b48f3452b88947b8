/**
 * The staging area of open batches, `<recordings>/.staging/<batch-id>/`:
 * `batch.json` (the descriptor, written when the batch opens) and `part-NNNNNN.parquet-part`
 * (Parquet files of staged columns, each whole or absent). Each part carries, in its key-value
 * metadata, the checkpoint it completes (`parx.checkpoint`: sequence + the caller's resume
 * token, e.g. a journal cursor), so data and "where to resume" become durable together.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { queryRows, type DuckDBConnection } from '../../native/duckdb';
import { sqlString } from './copy-sql';
import type { BatchDescriptor } from './format';
import { STAGING_DIR, stagingDir } from './format';
import { writeFileDurably } from './durable';

export interface Checkpoint {
  readonly seq: number;
  readonly resume: string | null;
}

const PART = /^part-(\d{6})\.parquet-part$/;
export const partName = (n: number): string => `part-${String(n).padStart(6, '0')}.parquet-part`;

export async function writeDescriptor(recordings: string, d: BatchDescriptor): Promise<string> {
  const dir = stagingDir(recordings, d.id);
  await fs.mkdir(dir, { recursive: true });
  await writeFileDurably(path.join(dir, 'batch.json'), JSON.stringify(d));
  return dir;
}

export async function readDescriptor(dir: string): Promise<BatchDescriptor> {
  return JSON.parse(await fs.readFile(path.join(dir, 'batch.json'), 'utf8')) as BatchDescriptor;
}

export async function listParts(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir);
  return names
    .filter((n) => PART.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

export async function listStaged(recordings: string): Promise<string[]> {
  const root = path.join(recordings, STAGING_DIR);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const dirs: string[] = [];
  for (const n of names) if ((await fs.stat(path.join(root, n))).isDirectory()) dirs.push(path.join(root, n));
  return dirs.sort();
}

export async function partCheckpoint(connection: DuckDBConnection, part: string): Promise<Checkpoint | null> {
  const rows = await queryRows(connection, `SELECT decode(value) AS v FROM parquet_kv_metadata(${sqlString(part)}) WHERE decode(key) = 'parx.checkpoint'`);
  const v = rows[0]?.v;
  return typeof v === 'string' ? (JSON.parse(v) as Checkpoint) : null;
}

/** The staging root's record of the newest checkpoint, also of batches already closed. */
const resumeFile = (recordings: string): string => path.join(recordings, STAGING_DIR, 'resume.json');

export async function readResume(recordings: string): Promise<Checkpoint | null> {
  try {
    return JSON.parse(await fs.readFile(resumeFile(recordings), 'utf8')) as Checkpoint;
  } catch {
    return null;
  }
}

export async function writeResume(recordings: string, cp: Checkpoint): Promise<void> {
  await fs.mkdir(path.join(recordings, STAGING_DIR), { recursive: true });
  await writeFileDurably(resumeFile(recordings), JSON.stringify(cp));
}

/** A relation over the parts and, optionally, an in-memory table, with the staged columns. */
export function stagedSource(parts: readonly string[], table?: string): string {
  const selects: string[] = [];
  if (parts.length > 0) selects.push(`SELECT ts, signal, value, quality FROM read_parquet([${parts.map(sqlString).join(', ')}])`);
  if (table) selects.push(`SELECT ts, signal, value, quality FROM ${table}`);
  if (selects.length === 0) selects.push('SELECT 0::DOUBLE AS ts, 0::UINTEGER AS signal, 0::DOUBLE AS value, 0::UTINYINT AS quality WHERE false');
  return `(${selects.join(' UNION ALL ')})`;
}
