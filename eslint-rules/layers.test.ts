import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, it } from 'vitest';
import layers from './layers.js';

// RuleTester reports through the test framework's hooks; hand it vitest's.
Object.assign(RuleTester, { afterAll, describe, it });

const root = path.resolve(import.meta.dirname, '..');
const at = (rel: string): string => path.join(root, rel);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' } });

tester.run('parx/layers', layers, {
  valid: [
    { filename: at('main/index.ts'), code: "import { app } from 'electron';" },
    { filename: at('preload/index.ts'), code: "import { contextBridge } from 'electron'; import { METHOD_LIST } from '../app/shared/contract/names';" },
    { filename: at('preload/bridge-types.ts'), code: "import type { MethodName } from '../app/shared/contract';" },
    { filename: at('renderer/src/x.ts'), code: "import { methods } from '../../app/shared/contract'; import * as echarts from 'echarts/core';" },
    { filename: at('app/engine/x.ts'), code: "import fs from 'node:fs'; import { ModbusRTU } from '../../native/modbus-serial';" },
    { filename: at('native/duckdb.ts'), code: "import { DuckDBInstance } from '@duckdb/node-api';" },
    { filename: at('app/shared/contract/x.ts'), code: "import { z } from 'zod'; import { ok } from '../result';" },
    { filename: at('app/shared/formula/x.test.ts'), code: "import fs from 'node:fs'; import { CASES } from '../../../bench/formula.bench';" },
  ],
  invalid: [
    { filename: at('app/engine/x.ts'), code: "import { app } from 'electron';", errors: [{ message: /only main\/ and preload\/ may import electron/ }] },
    { filename: at('app/engine/x.test.ts'), code: "import { app } from 'electron';", errors: [{ message: /only main\/ and preload\/ may import electron/ }] },
    { filename: at('renderer/src/x.ts'), code: "import fs from 'node:fs';", errors: [{ message: /no Node built-ins/ }] },
    { filename: at('renderer/src/x.ts'), code: "import { Engine } from '../../app/engine/engine';", errors: [{ message: /only app\/shared/ }] },
    { filename: at('renderer/src/x.ts'), code: "const m = import('../../native/duckdb');", errors: [{ message: /native addons/ }] },
    { filename: at('app/shared/x.ts'), code: "import path from 'path';", errors: [{ message: /app\/shared\/ is imported by the renderer/ }] },
    { filename: at('app/shared/x.ts'), code: "import { Engine } from '../engine/engine';", errors: [{ message: /must not import the rest of app/ }] },
    { filename: at('app/drivers/x.ts'), code: "import ModbusRTU from 'modbus-serial';", errors: [{ message: /native addons/ }] },
    { filename: at('app/engine/x.ts'), code: "export * from '@duckdb/node-api';", errors: [{ message: /native addons/ }] },
    { filename: at('preload/index.ts'), code: "import { z } from 'zod';", errors: [{ message: /preload\/ may import only/ }] },
    { filename: at('preload/index.ts'), code: "import { methods } from '../app/shared/contract';", errors: [{ message: /preload\/ may import only/ }] },
  ],
});
