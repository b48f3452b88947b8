import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../engine/engine';
import { serve } from '../../server/serve';
import { defaultWorkspaceDir } from '../../workspace/paths';
import type { DemoLine } from '../../sim/demo-line';
import { CliError, parseCli, portOption, untilSignal } from '../cli-error';
import { pointWorkspaceAtDemo, startDemo } from '../../engine/demo';
import { RENDERER_DIR } from '../paths';
import { analysisOf } from '../../analysis/engine-analysis';

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    host: { type: 'string' },
    port: { type: 'string' },
    workspace: { type: 'string' },
    demo: { type: 'boolean' },
    'renderer-dir': { type: 'string' },
    open: { type: 'string' },
  });
  const host = values.host ?? '127.0.0.1';
  const port = portOption(values.port, '--port') ?? 5170;
  const rendererDir = values['renderer-dir'] ?? RENDERER_DIR;
  if (!fs.existsSync(`${rendererDir}/index.html`)) throw new CliError(`the UI is not built (${rendererDir}/index.html is missing): run \`npm run build\` first`, 1);
  const workspace = values.workspace ?? defaultWorkspaceDir();
  // A fixed token (PARX_TOKEN) keeps bookmarks of a headless PC valid across restarts; random otherwise.
  const token = process.env.PARX_TOKEN;
  if (token !== undefined && !/^[\w-]{16,}$/.test(token)) throw new CliError('PARX_TOKEN must be at least 16 characters of letters, digits, _ or -');

  let demo: DemoLine | undefined;
  if (values.demo) demo = await startDemo();
  const engine = await Engine.start({ workspace, mode: 'browser' });
  engine.on('log', (l) => process.stderr.write(`[${l.level}] ${l.message}\n`));
  if (demo) await pointWorkspaceAtDemo(engine, demo.modbus.host, demo.modbus.port);
  if (values.open) {
    // Opened for analysis at start: the UI lists it among the open sources.
    const opened = await analysisOf(engine).open(path.resolve(values.open));
    if (!opened.ok) process.stderr.write(`[error] --open: ${opened.error.message}\n`);
    else process.stdout.write(`Opened ${opened.value.id}: ${opened.value.batches.length} batch(es)${opened.value.problems.length ? `, ${opened.value.problems.length} unreadable file(s)` : ''}\n`);
  }

  let server;
  try {
    server = await serve(engine, { host, port, rendererDir, token });
  } catch (e) {
    await engine.stop();
    await demo?.stop();
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EADDRINUSE' ? `port ${port} on ${host} is in use: pick another with --port (0 = any free port)` : (e as Error).message, 1);
  }
  if (demo) process.stdout.write(`Demo line: Modbus TCP at ${demo.modbus.host}:${demo.modbus.port}\n`);
  process.stdout.write(`Workspace: ${workspace}\n`);
  process.stdout.write(`ParX at ${server.url}\n`);
  process.stdout.write(`Read-only viewers: ${server.viewerUrl}\n`);
  await untilSignal();
  await server.close();
  await engine.stop();
  await demo?.stop();
  return 0;
}
