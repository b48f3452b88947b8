import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root, wherever parx is run from. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built UI; PARX_RENDERER_DIR points at another build (e.g. one made with PARX_RENDERER_OUT). */
export const RENDERER_DIR = process.env.PARX_RENDERER_DIR ?? path.join(PACKAGE_ROOT, 'out', 'renderer');
