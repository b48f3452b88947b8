/** `parx open PATH [serve options]`: the UI for browsers with PATH already open for analysis (= parx serve --open PATH). */
import { CliError } from '../cli-error';

export async function runOpen(args: string[]): Promise<number> {
  const target = args[0];
  if (!target || target.startsWith('-')) throw new CliError('name what to open: parx open PATH [--port N] [--workspace DIR]  (a recording folder, a batch file, or an import folder)');
  return (await import('./serve')).runServe([...args.slice(1), '--open', target]);
}
