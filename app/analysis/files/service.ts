/**
 * The files area's state in one engine: the annotation store of its workspace and the
 * running exports/imports (by job id, for cancel). One per engine, made on first use.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AnnotationStore } from '../annotations/store';
import { EXTENSIONS } from '../export/export';
import type { ExportFormat } from '../../shared/contract/files';

export class FilesService {
  readonly annotations: AnnotationStore;
  readonly jobs = new Map<string, AbortController>();

  constructor(readonly workspace: string) {
    this.annotations = new AnnotationStore(workspace);
  }

  source(p: string): string {
    return path.resolve(this.workspace, p);
  }

  /** Relative names land in <workspace>/exports; a missing extension is added. */
  exportTarget(out: string, format: ExportFormat): string {
    const abs = path.isAbsolute(out) ? out : path.join(this.workspace, 'exports', out);
    return path.extname(abs) ? abs : `${abs}${EXTENSIONS[format]}`;
  }

  startJob(job?: string): { job: string; signal: AbortSignal; done(): void } {
    const id = job ?? randomUUID();
    if (this.jobs.has(id)) throw new Error(`a job ${id} is already running`);
    const ac = new AbortController();
    this.jobs.set(id, ac);
    return { job: id, signal: ac.signal, done: () => this.jobs.delete(id) };
  }

  cancel(job: string): boolean {
    const ac = this.jobs.get(job);
    ac?.abort();
    return ac !== undefined;
  }
}

const services = new WeakMap<object, FilesService>();

export function filesService(engine: object, workspace: string): FilesService {
  let s = services.get(engine);
  if (!s) services.set(engine, (s = new FilesService(workspace)));
  return s;
}

/** At most ~10 progress events a second, and always the last one. */
export function throttled(emit: (done: number, total: number, phase: string) => void, everyMs = 100): (done: number, total: number, phase: string) => void {
  let last = 0;
  let lastPhase = '';
  return (done, total, phase) => {
    const now = Date.now();
    if (phase !== lastPhase || done >= total || now - last >= everyMs) {
      last = now;
      lastPhase = phase;
      emit(done, total, phase);
    }
  };
}
