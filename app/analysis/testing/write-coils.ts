/** `node --import tsx app/analysis/testing/write-coils.ts DIR [COILS] [SAMPLES]`: coils for the e2e journey, written by the real recorder. */
import { writeCoils } from './coils';

const [dir, coils, samples] = process.argv.slice(2);
if (!dir) throw new Error('usage: write-coils.ts DIR [COILS] [SAMPLES]');
const files = await writeCoils(dir, { coils: Number(coils ?? 3), samples: Number(samples ?? 3000) });
process.stdout.write(`${files.join('\n')}\n`);
