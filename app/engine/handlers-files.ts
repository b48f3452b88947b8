/** Handlers of the files area's contract methods (app/shared/contract/files.ts). */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { filesMethods } from '../shared/contract/files';
import { err, ok, parxError, type ParxError, type Result } from '../shared/result';
import { safeName } from '../recorder/format';
import { AnnotationError } from '../analysis/annotations/store';
import { embeddedAnnotations } from '../analysis/annotations/embedded';
import { runExport } from '../analysis/export/export';
import { readRange } from '../analysis/export/read-range';
import { batchFiles, listBatches, SourceError } from '../analysis/export/source';
import { importFile, inspectFile, TableError } from '../analysis/files/import';
import { filesService, throttled } from '../analysis/files/service';
import { alignXY, signalSpectrum } from '../analysis/files/xy-spectrum';
import { openDuckDB } from '../../native/duckdb';
import type { HandlersFor } from './handler-types';
import type { ClientSession } from './engine';

const service = (s: ClientSession) => filesService(s.engine, s.engine.options.workspace);

/** Known failures become requests' errors in words; anything else stays an internal error. */
function failure(e: unknown, what: string): Result<never, ParxError> {
  if (e instanceof DOMException && e.name === 'AbortError') return err(parxError('io', `${what} cancelled`));
  if (e instanceof TableError || e instanceof SourceError || e instanceof AnnotationError) return err(parxError(/does not exist|no annotation/.test(e.message) ? 'not-found' : 'invalid-request', e.message));
  const m = (e as Error).message ?? String(e);
  if (/column|mapping|time|signal|resampl|range|samples/i.test(m)) return err(parxError('invalid-request', m));
  return err(parxError('io', `${what} failed: ${m}`));
}

export const filesHandlers: HandlersFor<keyof typeof filesMethods> = {
  'files.inspect': async ({ path: p }, s) => {
    try {
      return ok(await inspectFile(service(s).source(p)));
    } catch (e) {
      return failure(e, 'inspect');
    }
  },

  'files.import': async ({ path: p, mapping, name, job }, s) => {
    const svc = service(s);
    let run;
    try {
      run = svc.startJob(job);
    } catch (e) {
      return err(parxError('invalid-request', (e as Error).message));
    }
    const progress = throttled((done, total, phase) => s.client.emit('files.import.progress', { job: run.job, done, total, phase }));
    try {
      return ok(await importFile(svc.source(p), mapping, { workspace: svc.workspace, name, signal: run.signal, progress }));
    } catch (e) {
      return failure(e, 'import');
    } finally {
      run.done();
    }
  },

  'files.upload': async ({ name, base64 }, s) => {
    const bytes = Buffer.from(base64, 'base64');
    const dir = path.join(service(s).workspace, 'uploads');
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, safeName(name));
    await fs.writeFile(file, bytes);
    return ok({ path: file, bytes: bytes.length });
  },

  'files.batches': async ({ source }, s) => {
    const db = await openDuckDB(':memory:');
    try {
      // An unreadable file (cut short) is left out: the export dialog still lists the rest; the export result names it.
      const list = await listBatches(db.connection, await batchFiles(service(s).source(source)), []);
      return ok(list.map((b) => ({ batchId: b.batchId, coil: b.coil, start: b.start, end: b.end, file: b.file, signals: b.signals })));
    } catch (e) {
      return failure(e, 'listing batches');
    } finally {
      db.close();
    }
  },

  'files.export': async (p, s) => {
    const svc = service(s);
    let run;
    try {
      run = svc.startJob(p.job);
    } catch (e) {
      return err(parxError('invalid-request', (e as Error).message));
    }
    const source = svc.source(p.source);
    const progress = throttled((done, total, phase) => s.client.emit('files.export.progress', { job: run.job, done, total, phase }));
    try {
      const r = await runExport(
        { source, signals: p.signals, from: p.from, to: p.to, batches: p.batches, format: p.format, resampleMs: p.resampleMs, out: svc.exportTarget(p.out, p.format), derived: s.engine.config.derived },
        { signal: run.signal, progress, annotations: (from, to) => svc.annotations.list(source, from, to) },
      );
      return ok({ job: run.job, ...r });
    } catch (e) {
      s.client.emit('files.export.progress', { job: run.job, done: 0, total: 0, phase: run.signal.aborted ? 'cancelled' : 'failed' });
      return failure(e, 'export');
    } finally {
      run.done();
    }
  },

  'files.export.cancel': async ({ job }, s) => ok({ cancelled: service(s).cancel(job) }),

  'files.xy': async (p, s) => {
    try {
      const r = await readRange({ source: service(s).source(p.source), signals: [p.x, p.y], from: p.from, to: p.to, batches: p.batches });
      const [x, y] = r.signals;
      if (!x || !y) return err(parxError('invalid-request', 'name two signals'));
      return ok(alignXY(x, y, p.maxPoints));
    } catch (e) {
      return failure(e, 'X/Y');
    }
  },

  'files.spectrum': async (p, s) => {
    try {
      const r = await readRange({ source: service(s).source(p.source), signals: [p.signal], from: p.from, to: p.to, batches: p.batches });
      const sig = r.signals[0];
      if (!sig) return err(parxError('invalid-request', 'name a signal'));
      return ok(signalSpectrum(sig, p.maxSamples, p.rateHz));
    } catch (e) {
      return failure(e, 'spectrum');
    }
  },

  'annotations.list': async ({ source, from, to }, s) => {
    try {
      const svc = service(s);
      const own = await svc.annotations.list(source, from, to);
      // Notes carried inside exported batch files, unless the workspace already has them (an export of this workspace).
      const ids = new Set(own.map((a) => `${a.from}|${a.to}|${a.text}`));
      const carried = (await embeddedAnnotations(svc.source(source))).filter((a) => !ids.has(`${a.from}|${a.to}|${a.text}`) && (a.axis === 'length' || ((from === undefined || a.to >= from) && (to === undefined || a.from <= to))));
      return ok([...own, ...carried].sort((a, b) => a.from - b.from));
    } catch (e) {
      return failure(e, 'annotations');
    }
  },

  'annotations.add': async (a, s) => {
    try {
      const added = await service(s).annotations.add(a);
      s.engine.broadcast('annotations.changed', { source: added.source });
      return ok(added);
    } catch (e) {
      return failure(e, 'annotations');
    }
  },

  'annotations.update': async ({ id, ...patch }, s) => {
    try {
      const a = await service(s).annotations.update(id, patch);
      s.engine.broadcast('annotations.changed', { source: a.source });
      return ok(a);
    } catch (e) {
      return failure(e, 'annotations');
    }
  },

  'annotations.remove': async ({ id }, s) => {
    try {
      const removed = await service(s).annotations.remove(id);
      if (removed) s.engine.broadcast('annotations.changed', { source: '' });
      return ok({ removed });
    } catch (e) {
      return failure(e, 'annotations');
    }
  },
};
