import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root, wherever parx is run from. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = path.join(PACKAGE_ROOT, 'out', 'renderer');
