#!/usr/bin/env node
// `npm start`: build if needed, then open ParX on the demo line — in Electron where its
// binary exists, otherwise (as on machines that cannot download it) in browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'out', 'renderer', 'index.html');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

const stale = !fs.existsSync(built) || ['renderer', 'main', 'preload', 'app/shared'].some((d) => newestSource(path.join(root, d)) > fs.statSync(built).mtimeMs);
if (stale) {
  console.log('Building ParX (electron-vite build)…');
  const b = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    // Electron ≥ 42 downloads its binary on first use; give it one quiet try.
    const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { cwd: dir, stdio: 'ignore', timeout: 120_000 });
    if (r.status !== 0 || !fs.existsSync(pathFile)) return null;
  }
  const bin = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(bin) ? bin : null;
}

const bin = electronBinary();
const args = process.argv.slice(2);
let child;
if (bin) {
  child = spawn(bin, [root, ...args], { stdio: 'inherit', env: { ...process.env, PARX_DEMO: '1' } });
} else {
  console.log('Electron cannot run here (its binary could not be downloaded); starting ParX in browser mode — open the URL below.');
  child = spawn(process.execPath, [path.join(root, 'bin', 'parx.mjs'), 'serve', '--demo', ...args], { stdio: 'inherit' });
}
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code) => process.exit(code ?? 0));
