/**
 * Retention and archival of closed batch files, per line: a batch past the line's age,
 * count or total-size limit is copied to the archive folder (when one is configured), the
 * copy verified byte for byte, and only then is the original deleted. Only closed batch files
 * are candidates — staging (the open batch) and half-written `.tmp` files never are — and
 * every archive and deletion goes to the retention log (JSON lines) and the engine log.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RetentionConfig } from '../shared/contract';
import { batchFilesIn } from './catalog-db';
import { publish } from './durable';

/** A closed batch file as retention sees it. */
export interface RetentionEntry {
  readonly file: string;
  readonly id: string;
  readonly line: string;
  /** ms */
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
}

export interface Expiry {
  readonly entry: RetentionEntry;
  readonly reason: string;
}

const DAY = 86_400_000;
const MB = 1_000_000;

/** Which entries the rules expire, per line, newest kept first. Pure. */
export function expired(entries: readonly RetentionEntry[], rules: RetentionConfig, now: number): Expiry[] {
  const byLine = new Map<string, RetentionEntry[]>();
  for (const e of entries) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  const out: Expiry[] = [];
  for (const [line, list] of byLine) {
    const limits = rules.lines?.[line] ?? rules;
    const newestFirst = [...list].sort((a, b) => b.start - a.start || b.file.localeCompare(a.file));
    let total = 0;
    newestFirst.forEach((e, i) => {
      total += e.bytes;
      let reason: string | null = null;
      if (limits.maxAgeDays !== undefined && e.end < now - limits.maxAgeDays * DAY) reason = `older than ${limits.maxAgeDays} days`;
      else if (limits.maxCount !== undefined && i >= limits.maxCount) reason = `line "${line}" keeps its newest ${limits.maxCount} batches`;
      else if (limits.maxTotalMB !== undefined && total > limits.maxTotalMB * MB) reason = `line "${line}" keeps at most ${limits.maxTotalMB} MB`;
      if (reason) out.push({ entry: e, reason });
    });
  }
  return out.sort((a, b) => a.entry.start - b.entry.start);
}

export interface CleanupAction {
  readonly file: string;
  readonly id: string;
  readonly line: string;
  readonly bytes: number;
  readonly reason: string;
  /** Where the verified copy went; null when deleted without archive. */
  readonly archivedTo: string | null;
  /** False in a dry run, or when archiving or deleting failed (see error). */
  readonly done: boolean;
  readonly error?: string;
}

export interface CleanupReport {
  readonly dryRun: boolean;
  readonly actions: CleanupAction[];
}

export interface CleanupOptions {
  readonly folder: string;
  readonly rules: RetentionConfig;
  readonly dryRun: boolean;
  readonly logFile: string;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** What the catalog knows (id, line, start, end); files it does not know fall back to the folder layout and mtime. */
  readonly known?: ReadonlyMap<string, Omit<RetentionEntry, 'bytes' | 'file'>>;
  /** Batch ids open right now: never touched, whatever their files look like. */
  readonly protect?: ReadonlySet<string>;
  readonly now?: number;
  /** Test seam: how a file is copied to the archive (default fs.copyFile). */
  readonly copy?: (from: string, to: string) => Promise<void>;
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Copies `file` to `to` durably and proves the copy equal; throws (leaving no copy) otherwise. */
async function archive(file: string, to: string, copy: (from: string, to: string) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  const tmp = `${to}.tmp`;
  try {
    await copy(file, tmp);
    const [a, b] = await Promise.all([fs.stat(file), fs.stat(tmp)]);
    if (a.size !== b.size) throw new Error(`archive copy has ${b.size} bytes, the original ${a.size}`);
    if ((await sha256(file)) !== (await sha256(tmp))) throw new Error('archive copy differs from the original (SHA-256)');
    await publish(tmp, to);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

function entryFor(folder: string, file: string, st: { size: number; mtimeMs: number }, known?: Omit<RetentionEntry, 'bytes' | 'file'>): RetentionEntry {
  if (known) return { ...known, file, bytes: st.size };
  const line = path.relative(folder, file).split(path.sep).find((p) => p.startsWith('line='))?.slice(5) ?? '';
  return { file, id: path.basename(file, path.extname(file)), line, start: st.mtimeMs, end: st.mtimeMs, bytes: st.size };
}

export async function cleanup(o: CleanupOptions): Promise<CleanupReport> {
  const entries: RetentionEntry[] = [];
  for (const file of await batchFilesIn(o.folder)) {
    const st = await fs.stat(file).catch(() => null);
    if (!st) continue;
    const e = entryFor(o.folder, file, st, o.known?.get(file));
    if (o.protect && [...o.protect].some((id) => e.id === id || path.basename(file).startsWith(id))) continue;
    entries.push(e);
  }
  const actions: CleanupAction[] = [];
  for (const { entry, reason } of expired(entries, o.rules, o.now ?? Date.now())) {
    const archivedTo = o.rules.archiveTo ? path.join(path.resolve(o.rules.archiveTo), path.relative(o.folder, entry.file)) : null;
    const base = { file: entry.file, id: entry.id, line: entry.line, bytes: entry.bytes, reason, archivedTo };
    if (o.dryRun) {
      actions.push({ ...base, done: false });
      continue;
    }
    try {
      if (archivedTo) {
        await archive(entry.file, archivedTo, o.copy ?? ((a, b) => fs.copyFile(a, b)));
        await record(o, { action: 'archive', ...base });
        o.log('info', `retention: archived ${entry.file} to ${archivedTo} (${reason})`);
      }
      await fs.rm(entry.file);
      await record(o, { action: 'delete', ...base });
      o.log('info', `retention: deleted ${entry.file} (${reason})`);
      actions.push({ ...base, done: true });
    } catch (e) {
      const error = (e as Error).message;
      await record(o, { action: 'error', ...base, error });
      o.log('error', `retention: kept ${entry.file}: ${error}`);
      actions.push({ ...base, done: false, error });
    }
  }
  return { dryRun: o.dryRun, actions };
}

async function record(o: CleanupOptions, line: Record<string, unknown>): Promise<void> {
  await fs.mkdir(path.dirname(o.logFile), { recursive: true });
  await fs.appendFile(o.logFile, `${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
}
