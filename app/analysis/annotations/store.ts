/**
 * Notes on a time or length range of a source, kept in <workspace>/annotations.json and
 * rewritten atomically (tmp + fsync + rename) on every change, so a crash leaves the old or
 * the new file, never half of one. Changes are serialised; the file is re-read each time so
 * a hand edit (or a second engine on the workspace) is not overwritten by a stale copy.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AnnotationSchema, type Annotation } from '../../shared/contract/files';
import { writeFileDurably } from '../../recorder/durable';

const FileSchema = z.object({ version: z.literal(1), annotations: z.array(AnnotationSchema) });

export class AnnotationError extends Error {
  override readonly name = 'AnnotationError';
}

export interface NewAnnotation {
  readonly source: string;
  readonly batchId: string | null;
  readonly axis: 'time' | 'length';
  readonly from: number;
  readonly to: number;
  readonly text: string;
  readonly author?: string;
}

function defaultAuthor(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

export class AnnotationStore {
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly workspace: string) {
    this.file = path.join(workspace, 'annotations.json');
  }

  /** One key per source whatever way it was written (relative, trailing slash …). */
  key(source: string): string {
    return path.resolve(this.workspace, source).replace(/[\\/]+$/, '');
  }

  private async load(): Promise<Annotation[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new AnnotationError(`${this.file} is not valid JSON (${(e as Error).message}); fix or remove it — it was left as it is`);
    }
    const r = FileSchema.safeParse(parsed);
    if (!r.success) throw new AnnotationError(`${this.file} is not an annotations file: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}; it was left as it is`);
    return r.data.annotations;
  }

  private change<T>(fn: (all: Annotation[]) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const all = await this.load();
      const result = fn(all);
      await fs.mkdir(this.workspace, { recursive: true });
      await writeFileDurably(this.file, `${JSON.stringify({ version: 1, annotations: all }, null, 2)}\n`);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Notes of a source; with a range, those overlapping it (length-axis notes are kept: a time range says nothing about metres). */
  async list(source: string, from?: number, to?: number): Promise<Annotation[]> {
    await this.queue;
    const key = this.key(source);
    return (await this.load())
      .filter((a) => a.source === key || key.startsWith(`${a.source}${path.sep}`) || a.source.startsWith(`${key}${path.sep}`))
      .filter((a) => a.axis === 'length' || ((from === undefined || a.to >= from) && (to === undefined || a.from <= to)))
      .sort((a, b) => a.from - b.from);
  }

  add(n: NewAnnotation): Promise<Annotation> {
    const a: Annotation = { id: randomUUID(), source: this.key(n.source), batchId: n.batchId, axis: n.axis, from: n.from, to: n.to, text: n.text, author: n.author?.trim() || defaultAuthor(), createdAt: Date.now() };
    return this.change((all) => {
      all.push(a);
      return a;
    });
  }

  update(id: string, patch: Partial<Pick<Annotation, 'from' | 'to' | 'text' | 'author'>>): Promise<Annotation> {
    return this.change((all) => {
      const i = all.findIndex((a) => a.id === id);
      if (i < 0) throw new AnnotationError(`no annotation ${id}`);
      const next = { ...(all[i] as Annotation), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Annotation;
      if (next.from > next.to) throw new AnnotationError('`from` must not be after `to`');
      all[i] = next;
      return next;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.change((all) => {
      const i = all.findIndex((a) => a.id === id);
      if (i >= 0) all.splice(i, 1);
      return i >= 0;
    });
  }
}
