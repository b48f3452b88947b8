/** `parx` — the engine without a display. Each command is a file in ./commands. */
import { CliError } from './cli-error';

// Commands load on demand: `parx sim` should not pay for loading every protocol stack.
const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; summary: string }> = {
  sim: { run: async (a) => (await import('./commands/sim')).runSim(a), summary: 'serve the simulated strip line — parx sim [--modbus PORT] [--opcua PORT] [--mqtt URL] [--enip PORT] [--egd HOST:PORT] [--host H] [--seed N]' },
  serve: { run: async (a) => (await import('./commands/serve')).runServe(a), summary: 'run the engine and the UI for browsers — parx serve [--host H] [--port N] [--workspace DIR] [--demo] [--open RECORDINGS]' },
  probe: { run: async (a) => (await import('./commands/probe')).runProbe(a), summary: 'read signals once — parx probe URL SIGNAL… [--json] [--timeout S], e.g. modbus://127.0.0.1:5020?unit=1 hr:0:uint16' },
  browse: { run: async (a) => (await import('./commands/browse')).runBrowse(a), summary: 'list what a server offers — parx browse URL [PARENT] [--json] [--timeout S]' },
  plan: { run: async (a) => (await import('./commands/plan')).runPlan(a), summary: 'requests, predicted cycle time and load per group before go-live — parx plan CONFIG|WORKSPACE [--rtt MS] [--json]' },
  status: { run: async (a) => (await import('./commands/status')).runStatus(a), summary: 'connections and polling groups of a running engine — parx status --url URL [--json]' },
  record: { run: async (a) => (await import('./commands/record')).runRecord(a), summary: 'headless collector and recorder (no UI) — parx record [--workspace DIR] [--format parquet|csv|duckdb], or parx record URL SIGNAL… --out DIR [--duration S] [--timebase MS] [--batch-by SIGNAL]' },
  inspect: { run: async (a) => (await import('./commands/inspect')).runInspect(a), summary: 'what a batch file says about itself — parx inspect FILE.parquet [--json]' },
  query: { run: async (a) => (await import('./commands/query')).runQuery(a), summary: 'SQL across every recorded batch (samples, batches, signal_stats) — parx query "SQL" [--workspace DIR] [--json]' },
  cleanup: { run: async (a) => (await import('./commands/cleanup')).runCleanup(a), summary: 'apply the retention rules now (archive, then delete) — parx cleanup [--workspace DIR | --url URL] [--dry-run]' },
  capture: { run: async (a) => (await import('./commands/capture')).runCapture(a), summary: 'retro-capture: save the last N minutes as a batch file — parx capture --url URL --minutes N [--reason TEXT]' },
  eval: { run: async (a) => (await import('./commands/eval')).runEval(a), summary: 'a formula over recorded batch files, as ts,value lines — parx eval "FORMULA" --source PATH [--json] [--from T --to T]' },
  bench: { run: async (a) => (await import('./commands/bench')).runBench(a), summary: 'run the benchmarks and print JSON lines — parx bench [NAME…]' },
  export: { run: async (a) => (await import('./commands/export')).runExportCommand(a), summary: 'signals over a range to a file — parx export SOURCE --signals a,b [--from T --to T] --format csv|xlsx|json|parquet --out FILE [--resample MS]' },
  open: { run: async (a) => (await import('./commands/open')).runOpen(a), summary: 'the UI for browsers with PATH open for analysis — parx open PATH [--port N] [--workspace DIR]' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(7)} ${c.summary}`);
  return `usage: parx <command> [options]\n\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`parx: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`parx ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`parx ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
