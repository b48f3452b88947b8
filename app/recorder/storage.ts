/**
 * The engine's keeper of recorded files: the catalog (fed as files close, reconciled with the
 * folder at start) and the retention job (on a timer and on demand). One cleanup at a time,
 * and the catalog follows every archive and deletion.
 */
import path from 'node:path';
import type { WorkspaceConfig } from '../shared/contract';
import { parxError, type Result } from '../shared/result';
import type { BatchFileInfo } from './batch-file';
import type { BatchFilter } from './catalog-db';
import { CatalogHost } from './catalog-host';
import { catalogFile, recordingsFolder, retentionLog } from './folders';
import { cleanup, type CleanupReport, type RetentionEntry } from './retention';

export interface StorageDeps {
  readonly workspace: string;
  readonly config: () => WorkspaceConfig;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Ids of batches open right now (never cleaned up). */
  readonly openBatches: () => readonly string[];
  readonly catalogEntry?: URL | string;
}

export class Storage {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  /** The catalog worker, once booted and reconciled with the folder (the engine does not wait for it). */
  private readonly ready: Promise<CatalogHost>;

  private constructor(private readonly deps: StorageDeps) {
    this.ready = CatalogHost.start(catalogFile(deps.workspace), deps.catalogEntry).then(async ({ host, started }) => {
      if (!started.ok) deps.log('error', `catalog: ${started.error.message}`);
      await this.reconcileWith(host);
      return host;
    });
  }

  /** Starts the catalog worker in the background; `started` resolves once it has reconciled. */
  static start(deps: StorageDeps): Storage {
    const s = new Storage(deps);
    s.schedule();
    return s;
  }

  get started(): Promise<void> {
    return this.ready.then(() => undefined);
  }

  get folder(): string {
    return recordingsFolder(this.deps.workspace, this.deps.config().recording?.destination);
  }

  async reconcile(): Promise<void> {
    await this.reconcileWith(await this.ready);
  }

  private async reconcileWith(catalog: CatalogHost): Promise<void> {
    const r = await catalog.reconcile(this.folder);
    if (!r.ok) return this.deps.log('error', `catalog: ${r.error.message}`);
    if (r.value.added.length) this.deps.log('info', `catalog: indexed ${r.value.added.length} batch file(s) it did not know`);
    if (r.value.removed.length) this.deps.log('warn', `catalog: ${r.value.removed.length} batch file(s) are gone from ${this.folder}; dropped from the catalog`);
    for (const p of r.value.problems) this.deps.log('error', `catalog: cannot read ${p.file}: ${p.message}`);
  }

  /** The recorder wrote a file. */
  fileClosed(info: BatchFileInfo): void {
    void this.ready.then(async (catalog) => {
      const r = await catalog.add(info);
      if (!r.ok) this.deps.log('error', `catalog: cannot index ${info.file}: ${r.error.message}`);
    });
  }

  async list(filter: BatchFilter) {
    return (await this.ready).list(filter);
  }

  async get(key: string) {
    return (await this.ready).get(key);
  }

  /** Archives and deletes what the retention rules expire (or only says what it would, dry). */
  cleanup(dryRun: boolean): Promise<Result<CleanupReport>> {
    const run = this.running.then(() => this.runCleanup(dryRun));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async runCleanup(dryRun: boolean): Promise<Result<CleanupReport>> {
    const configured = this.deps.config().recording?.retention;
    if (!configured) return { ok: true, value: { dryRun, actions: [] } };
    // A relative archive folder is the workspace's, like the destination.
    const rules = configured.archiveTo ? { ...configured, archiveTo: path.resolve(this.deps.workspace, configured.archiveTo) } : configured;
    const folder = this.folder;
    const catalog = await this.ready;
    await this.reconcileWith(catalog);
    const known = new Map<string, Omit<RetentionEntry, 'bytes' | 'file'>>();
    for (let offset = 0; ; offset += 10_000) {
      const page = await catalog.list({ offset, limit: 10_000 });
      if (!page.ok) break;
      for (const b of page.value.batches) known.set(b.file, { id: b.id, line: b.line, start: b.start, end: b.end });
      if (page.value.batches.length < 10_000) break;
    }
    try {
      const report = await cleanup({ folder, rules, dryRun, logFile: retentionLog(this.deps.workspace), log: this.deps.log, known, protect: new Set(this.deps.openBatches()) });
      const gone = report.actions.filter((a) => a.done).map((a) => a.file);
      if (gone.length) await catalog.remove(gone);
      return { ok: true, value: report };
    } catch (e) {
      return { ok: false, error: parxError('io', `cleanup failed: ${(e as Error).message}`, { path: folder }) };
    }
  }

  /** The cleanup job: every `retention.everyMinutes`, re-read each time so a changed rule takes effect. */
  private schedule(): void {
    if (this.stopped) return;
    const minutes = this.deps.config().recording?.retention?.everyMinutes ?? 60;
    this.timer = setTimeout(() => {
      void this.cleanup(false).then((r) => {
        if (!r.ok) this.deps.log('error', r.error.message);
        this.schedule();
      });
    }, minutes * 60_000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await (await this.ready).stop();
  }
}
