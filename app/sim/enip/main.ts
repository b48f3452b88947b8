/**
 * Runs the simulated Logix controller on its own: `npx tsx app/sim/enip/main.ts [PORT] [SLOT]`
 * (port 44818 by default, slot 0). Stops on Ctrl+C.
 */
import { StripLine } from '../line-model';
import { serveEnip } from '../enip-server';

const port = Number(process.argv[2] ?? 44818);
const slot = Number(process.argv[3] ?? 0);
const line = new StripLine({ seed: 1, startMs: Date.now() });
const server = await serveEnip(() => line.step(Date.now()), { port, slot });
console.log(`simulated Logix controller on enip://127.0.0.1:${server.port}?slot=${slot} — try: node bin/parx.mjs probe "enip://127.0.0.1:${server.port}?slot=${slot}" LineSpeed Program:Main.Count "Arr[2]" --json`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
