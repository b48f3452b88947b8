/**
 * A process that asks for a pyramid build in the background (as the engine does when the
 * recorder closes a file) and then has nothing else to do, so it ends during the build:
 * `node --import tsx exit-during-build.ts FILE PYRAMID_DIR`. Prints "building" once the
 * build runs; must exit with code 0.
 */
import { AnalysisHost } from '../analysis-host';

const [file, dir] = process.argv.slice(2);
const host = new AnalysisHost(undefined, { PARX_ANALYSIS_PYRAMIDS: dir! });
void host.request({ type: 'pyramid', file: file! }, { background: true });
// Answered once the queue has passed the footer read, i.e. the build has started.
await host.request({ type: 'memory' });
await new Promise((r) => setTimeout(r, 300));
process.stdout.write('building\n');
