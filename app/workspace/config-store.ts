/**
 * The workspace configuration on disk: `config.json` (versioned, validated on load) and
 * `history/` (every saved version, newest last). A file that fails validation is never
 * overwritten: the engine keeps running on the last good version and reports the problem.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  WorkspaceConfigSchema,
  describeProblems,
  emptyConfig,
  zodProblems,
  type FieldProblem,
  type WorkspaceConfig,
} from '../shared/contract';
import { checkAddresses } from './check-addresses';
import { workspaceFiles } from './paths';

export interface ConfigProblem {
  readonly file: string;
  readonly message: string;
  readonly problems: FieldProblem[];
}

export type Validation = { ok: true; config: WorkspaceConfig } | { ok: false; problems: FieldProblem[] };

/** Schema, then the drivers' own address rules. */
export function validateConfig(input: unknown): Validation {
  const parsed = WorkspaceConfigSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const problems = checkAddresses(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, config: parsed.data };
}

export interface LoadedConfig {
  readonly config: WorkspaceConfig;
  /** Set when config.json is unreadable or invalid; `config` is then the last good version. */
  readonly problem: ConfigProblem | null;
  /** The file `config` came from (config.json, a history entry, or '' for the empty default). */
  readonly source: string;
}

async function readJson(file: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    return { ok: false, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : String((e as Error).message) };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
  }
}

export class ConfigStore {
  private readonly files;

  constructor(readonly dir: string) {
    this.files = workspaceFiles(dir);
  }

  get file(): string {
    return this.files.config;
  }

  async load(): Promise<LoadedConfig> {
    const read = await readJson(this.files.config);
    if (!read.ok && read.message === 'missing') return { config: emptyConfig(), problem: null, source: '' };
    if (read.ok) {
      const v = validateConfig(read.value);
      if (v.ok) return { config: v.config, problem: null, source: this.files.config };
      return this.fallBack({ file: this.files.config, message: `${this.files.config} is invalid: ${describeProblems(v.problems)}`, problems: v.problems });
    }
    return this.fallBack({ file: this.files.config, message: `${this.files.config} is ${read.message}`, problems: [] });
  }

  /** The newest history entry that still validates; the empty configuration if none does. */
  private async fallBack(problem: ConfigProblem): Promise<LoadedConfig> {
    for (const entry of (await this.historyEntries()).reverse()) {
      const read = await readJson(entry);
      if (!read.ok) continue;
      const v = validateConfig(read.value);
      if (v.ok) return { config: v.config, problem, source: entry };
    }
    return { config: emptyConfig(), problem, source: '' };
  }

  async historyEntries(): Promise<string[]> {
    try {
      const names = await fs.readdir(this.files.history);
      return names.filter((n) => n.endsWith('.json')).sort().map((n) => path.join(this.files.history, n));
    } catch {
      return [];
    }
  }

  /**
   * Validates, then writes atomically (temp file + rename) and keeps a history copy.
   * Throws nothing for bad input: returns the problems instead, and writes nothing.
   */
  async save(input: unknown): Promise<{ ok: true; file: string; history: string } | { ok: false; problems: FieldProblem[] }> {
    const v = validateConfig(input);
    if (!v.ok) return v;
    await fs.mkdir(this.files.history, { recursive: true });
    const text = `${JSON.stringify(v.config, null, 2)}\n`;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    let history = path.join(this.files.history, `config-${stamp}.json`);
    for (let n = 1; await exists(history); n++) history = path.join(this.files.history, `config-${stamp}-${n}.json`);
    await fs.writeFile(history, text);
    const tmp = `${this.files.config}.tmp-${process.pid}`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, this.files.config);
    return { ok: true, file: this.files.config, history };
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
