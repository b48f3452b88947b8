/**
 * Dashboards, images and preferences in the workspace:
 *   dashboards/<name>.json   one file per dashboard, with its schema version
 *   dashboards/images/<name> images for image widgets (the bytes, not a data: URL)
 *   prefs.json               the user's preferences
 * Writes are atomic (temp file + rename), so a crash leaves the old file or the new one.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { err, ok, parxError, type ParxError, type Result } from '../shared/result';
import { DashboardSchema, DEFAULT_PREFS, PrefsSchema, type Dashboard, type Prefs } from '../shared/dashboards/schema';
import { describeProblems, zodProblems } from '../shared/contract';

const MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', jpg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** A dashboard name as a file name: readable, and never a path. */
export function dashboardFileName(name: string): string {
  const safe = name.trim().replace(/[^A-Za-z0-9 ._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${safe.startsWith('.') ? `%2e${safe.slice(1)}` : safe}.json`;
}

export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

export class DashboardStore {
  readonly dir: string;
  readonly images: string;
  readonly prefsFile: string;

  constructor(workspace: string) {
    this.dir = path.join(workspace, 'dashboards');
    this.images = path.join(this.dir, 'images');
    this.prefsFile = path.join(workspace, 'prefs.json');
  }

  private fileOf(name: string): string {
    return path.join(this.dir, dashboardFileName(name));
  }

  async list(): Promise<{ name: string; widgets: number; savedAt: number }[]> {
    const entries = await fs.readdir(this.dir).catch(() => [] as string[]);
    const out: { name: string; widgets: number; savedAt: number }[] = [];
    for (const f of entries.filter((e) => e.endsWith('.json'))) {
      const r = await this.read(path.join(this.dir, f));
      if (r.ok) out.push({ name: r.value.dashboard.name, widgets: r.value.dashboard.widgets.length, savedAt: r.value.savedAt });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async read(file: string): Promise<Result<{ dashboard: Dashboard; savedAt: number }, ParxError>> {
    let text: string;
    let savedAt: number;
    try {
      text = await fs.readFile(file, 'utf8');
      savedAt = (await fs.stat(file)).mtimeMs;
    } catch {
      return err(parxError('not-found', `no dashboard file ${path.basename(file)}`));
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return err(parxError('invalid-config', `${path.basename(file)} is not JSON: ${(e as Error).message}`));
    }
    const parsed = DashboardSchema.safeParse(raw);
    if (!parsed.success) return err(parxError('invalid-config', `${path.basename(file)}: ${describeProblems(zodProblems(parsed.error))}`));
    return ok({ dashboard: parsed.data, savedAt: Math.round(savedAt) });
  }

  async get(name: string): Promise<Result<{ dashboard: Dashboard; savedAt: number }, ParxError>> {
    const r = await this.read(this.fileOf(name));
    if (!r.ok && r.error.kind === 'not-found') return err(parxError('not-found', `no dashboard named "${name}"`, { path: 'name' }));
    return r;
  }

  async save(dashboard: Dashboard): Promise<{ file: string; savedAt: number }> {
    const file = this.fileOf(dashboard.name);
    await writeAtomic(file, `${JSON.stringify(dashboard, null, 2)}\n`);
    return { file, savedAt: Math.round((await fs.stat(file)).mtimeMs) };
  }

  async remove(name: string): Promise<boolean> {
    try {
      await fs.unlink(this.fileOf(name));
      return true;
    } catch {
      return false;
    }
  }

  async putImage(name: string, dataUrl: string): Promise<number> {
    const m = /^data:image\/(png|jpeg|gif|webp);base64,(.*)$/.exec(dataUrl);
    if (!m) throw new Error('not an image data: URL');
    const bytes = Buffer.from(m[2] as string, 'base64');
    const ext = m[1] === 'jpeg' ? 'jpg' : (m[1] as string);
    const base = name.replace(/\.(png|jpe?g|gif|webp)$/i, '');
    for (const other of Object.keys(MIME)) await fs.unlink(path.join(this.images, `${base}.${other}`)).catch(() => undefined);
    await writeAtomic(path.join(this.images, `${base}.${ext}`), bytes);
    return bytes.length;
  }

  /** Images are looked up by name with or without their extension. */
  async getImage(name: string): Promise<Result<string, ParxError>> {
    const base = name.replace(/\.(png|jpe?g|gif|webp)$/i, '');
    for (const [ext, mime] of Object.entries(MIME)) {
      const bytes = await fs.readFile(path.join(this.images, `${base}.${ext}`)).catch(() => null);
      if (bytes) return ok(`data:${mime};base64,${bytes.toString('base64')}`);
    }
    return err(parxError('not-found', `no image named "${name}" in this workspace (dashboards/images)`, { path: 'name' }));
  }

  async listImages(): Promise<string[]> {
    const entries = await fs.readdir(this.images).catch(() => [] as string[]);
    return entries.filter((e) => /\.(png|jpe?g|gif|webp)$/i.test(e)).map((e) => e.replace(/\.(png|jpe?g|gif|webp)$/i, '')).sort();
  }

  /** Preferences; a missing or broken file gives the defaults (preferences are never worth an error dialog). */
  async prefs(): Promise<Prefs> {
    try {
      const parsed = PrefsSchema.safeParse(JSON.parse(await fs.readFile(this.prefsFile, 'utf8')));
      return parsed.success ? parsed.data : DEFAULT_PREFS;
    } catch {
      return DEFAULT_PREFS;
    }
  }

  async savePrefs(prefs: Prefs): Promise<Prefs> {
    await writeAtomic(this.prefsFile, `${JSON.stringify(prefs, null, 2)}\n`);
    return prefs;
  }
}
