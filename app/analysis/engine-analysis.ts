/**
 * The analysis side of one engine: its query worker, the recent list and the saved analysis
 * layout (both small JSON files in <workspace>/analysis/). Kept beside the engine, not in it,
 * so the engine composes nothing of this area.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { err, ok, type ParxError, type Result } from '../shared/result';
import { AnalysisHost } from './analysis-host';
import type { DerivedDefinition } from './derived-query';
import type { AnalysisReplies, AnalysisRequest } from './messages';

const RECENT_MAX = 20;

async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value, null, 1));
  await fs.rename(tmp, file);
}

let workerEntry: URL | string | undefined;

/** The bundled analysis worker in an Electron build (main/index.ts); the .ts source (via tsx) otherwise. */
export function setAnalysisWorkerEntry(entry: URL | string): void {
  workerEntry = entry;
}

export class EngineAnalysis {
  readonly host: AnalysisHost;
  /** Paths opened in this engine, so a restarted worker can reopen them on demand. */
  private readonly opened = new Set<string>();

  /** The derived definitions last given to the worker (JSON), so unchanged ones are not resent. */
  private sentDerived: string | null = null;

  /** `derived` reads the running configuration's derived signals (the engine's, which changes on config.changed). */
  constructor(
    readonly workspace: string,
    private readonly derived: () => readonly DerivedDefinition[] | undefined = () => undefined,
  ) {
    // Pyramid sidecars live in the workspace, never beside recordings that may be read-only.
    this.pyramids = process.env.PARX_ANALYSIS_PYRAMIDS ?? path.join(workspace, 'analysis', 'pyramids');
    this.host = new AnalysisHost(workerEntry, { PARX_ANALYSIS_PYRAMIDS: this.pyramids });
  }

  /** Where pyramid sidecars go ('off': none). */
  readonly pyramids: string;

  /**
   * The recorder wrote a batch file: its pyramid is built now, in the analysis worker's
   * background, so the first trend of it comes from the pyramid whenever it is opened.
   * Starts the worker if it is not up (a recording engine pays its idle DuckDB for that);
   * never fails or holds up the recording: problems are logged, and the process may exit
   * before a build ends (the file's pyramid is then built when it is opened).
   */
  pyramidAtClose(file: string, log: (level: 'warn', message: string) => void): Promise<void> {
    if (this.pyramids === 'off') return Promise.resolve();
    return this.host.request({ type: 'pyramid', file }, { background: true }).then(
      (r) => {
        if (!r.ok) log('warn', `pyramid of ${file} not built: ${r.error.message}`);
        else if (r.value.status === 'failed') log('warn', `pyramid of ${file} not built: ${r.value.message ?? 'unknown error'}; its trends come from raw samples`);
      },
      (e: unknown) => log('warn', `pyramid of ${file} not built: ${(e as Error).message}`),
    );
  }

  /** Gives the worker the current derived signals when they changed since, or when the worker is new. */
  private async syncDerived(): Promise<void> {
    const defs = (this.derived() ?? []).map(({ name, unit, description, formula }) => ({ name, unit, description, formula }));
    const json = JSON.stringify(defs);
    if (this.host.running && json === this.sentDerived) return;
    const r = await this.host.request({ type: 'derived', defs });
    this.sentDerived = r.ok ? json : null;
  }

  async sources(): Promise<Result<AnalysisReplies['sources']>> {
    await this.syncDerived();
    return this.host.request({ type: 'sources' });
  }

  get dir(): string {
    return path.join(this.workspace, 'analysis');
  }

  resolve(p: string): string {
    return path.resolve(this.workspace, p);
  }

  async open(p: string): Promise<Result<AnalysisReplies['open']>> {
    const abs = this.resolve(p);
    await this.syncDerived();
    const r = await this.host.request({ type: 'open', path: abs });
    if (r.ok) {
      this.opened.add(r.value.id);
      await this.remember(r.value.id).catch(() => undefined);
    }
    return r;
  }

  async close(source: string): Promise<Result<boolean>> {
    this.opened.delete(source);
    return this.host.request({ type: 'close', source });
  }

  /** A request naming a source; if the worker lost it (restarted), reopen once and retry. */
  async ask<R extends AnalysisRequest & { params: { source: string } }>(message: R): Promise<Result<AnalysisReplies[R['type']]>> {
    await this.syncDerived();
    const r = await this.host.request(message);
    if (!r.ok && r.error.kind === 'not-found' && r.error.path === 'source' && this.opened.has(message.params.source)) {
      await this.syncDerived();
      const reopened = await this.host.request({ type: 'open', path: message.params.source });
      if (!reopened.ok) return reopened;
      return this.host.request(message);
    }
    return r;
  }

  async recent(): Promise<string[]> {
    try {
      const list = JSON.parse(await fs.readFile(path.join(this.dir, 'recent.json'), 'utf8')) as unknown;
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  private async remember(p: string): Promise<void> {
    const list = [p, ...(await this.recent()).filter((x) => x !== p)].slice(0, RECENT_MAX);
    await writeJson(path.join(this.dir, 'recent.json'), list);
  }

  async layout(): Promise<Result<unknown>> {
    const file = path.join(this.dir, 'layout.json');
    try {
      return ok(JSON.parse(await fs.readFile(file, 'utf8')) as unknown);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(null);
      // A damaged layout file must not stop the window from opening: start from the default one.
      return ok(null);
    }
  }

  async saveLayout(layout: unknown): Promise<Result<string, ParxError>> {
    const file = path.join(this.dir, 'layout.json');
    try {
      await writeJson(file, layout);
      return ok(file);
    } catch (e) {
      return err({ kind: 'io', message: `analysis layout not saved to ${file}: ${(e as Error).message}` });
    }
  }
}

const perEngine = new WeakMap<object, EngineAnalysis>();

/** The analysis side of an engine, made on first use. */
export function analysisOf(engine: { options: { workspace: string }; config?: { derived?: readonly DerivedDefinition[] } }): EngineAnalysis {
  let a = perEngine.get(engine);
  if (!a) {
    a = new EngineAnalysis(engine.options.workspace, () => engine.config?.derived);
    perEngine.set(engine, a);
  }
  return a;
}
