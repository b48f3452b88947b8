#!/usr/bin/env node
// The `parx` command. The engine is TypeScript run from source through tsx, so the CLI,
// the tests and `parx serve` execute exactly the code in the repository.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
