/**
 * parx/layers — the process boundaries of ARCHITECTURE.md, enforced at every import.
 * Each message names the reason, so whoever trips it knows which rule of the house it is.
 */
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '..');
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const NATIVE = [/^@duckdb\//, /^modbus-serial($|\/)/, /^serialport($|\/)/, /^@serialport\//];

const WHY = {
  electron: 'only main/ and preload/ may import electron: the engine must run in plain Node and in browser mode (see ARCHITECTURE.md, "Boundaries")',
  native: 'native addons are loaded only in native/ so packaging knows what to unpack and the rest can be tested without them (see native/README.md)',
  nodeInRenderer: 'renderer/ runs in a sandboxed page: no Node built-ins (talk to the engine through the Transport)',
  nodeInShared: 'app/shared/ is imported by the renderer too: it must not use Node built-ins',
  appFromRenderer: 'renderer/ may import only app/shared/ (the contract, domain types, pure helpers) — never the engine',
  sharedOutward: 'app/shared/ must not import the rest of app/: the renderer imports it, and would pull the engine in with it',
  preload: 'preload/ may import only electron and app/shared/contract/names.ts (a sandboxed preload cannot load npm packages)',
};

function layerOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  // Tests run in Node and are never bundled: they may reach across layers to check them (but not load electron).
  if (/\.test\.tsx?$/.test(rel) && !rel.startsWith('main/') && !rel.startsWith('preload/')) return 'test-any';
  if (rel.startsWith('app/shared/')) return 'shared';
  if (rel.startsWith('app/')) return 'app';
  if (rel.startsWith('renderer/')) return 'renderer';
  if (rel.startsWith('main/')) return 'main';
  if (rel.startsWith('preload/')) return /\.test\.ts$/.test(rel) ? 'test' : 'preload';
  if (rel.startsWith('native/')) return 'native';
  return 'other';
}

function check(layer, spec, targetRel) {
  const bare = !spec.startsWith('.');
  if (bare) {
    if (spec === 'electron' && !['main', 'preload', 'test'].includes(layer)) return WHY.electron;
    if (layer === 'test-any') return null;
    if (NATIVE.some((re) => re.test(spec)) && layer !== 'native' && layer !== 'other') return WHY.native;
    if (NODE_BUILTINS.has(spec) && layer === 'renderer') return WHY.nodeInRenderer;
    if (NODE_BUILTINS.has(spec) && layer === 'shared') return WHY.nodeInShared;
    if (layer === 'preload' && spec !== 'electron') return WHY.preload;
    return null;
  }
  if (layer === 'test-any') return null;
  if (layer === 'renderer' && targetRel.startsWith('app/') && !targetRel.startsWith('app/shared/')) return WHY.appFromRenderer;
  if (layer === 'renderer' && targetRel.startsWith('native/')) return WHY.native;
  if (layer === 'renderer' && targetRel.startsWith('preload/') && targetRel !== 'preload/bridge-types') return WHY.appFromRenderer;
  if (layer === 'shared' && !targetRel.startsWith('app/shared/')) return WHY.sharedOutward;
  if (layer === 'preload' && !targetRel.startsWith('preload/') && targetRel !== 'app/shared/contract/names') return WHY.preload;
  return null;
}

export default {
  meta: { type: 'problem', docs: { description: 'enforce the process boundaries of ParX' }, schema: [] },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    const visit = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      const targetRel = spec.startsWith('.')
        ? path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep).join('/').replace(/\.(ts|tsx|js|mjs)$/, '')
        : '';
      // Types are erased at build time, so a type-only import cannot load anything into the sandbox.
      if (layer === 'preload' && node.importKind === 'type') return;
      const why = check(layer, spec, targetRel);
      if (why) context.report({ node: source, message: `"${spec}": ${why}` });
    };
    return {
      ImportDeclaration: (n) => visit(n, n.source),
      ExportNamedDeclaration: (n) => visit(n, n.source),
      ExportAllDeclaration: (n) => visit(n, n.source),
      ImportExpression: (n) => visit(n, n.source),
    };
  },
};
