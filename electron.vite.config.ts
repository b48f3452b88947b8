import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * native/serial-relay.ts forks `new URL('./serial-child.mjs', import.meta.url)`: a plain file
 * beside whichever bundle holds the relay (the main bundle and the collector worker's chunk),
 * never bundled itself (it owns the serial port in its own process).
 */
function serialChild(): Plugin {
  return {
    name: 'parx-serial-child',
    generateBundle() {
      const source = readFileSync(resolve(__dirname, 'native/serial-child.mjs'));
      for (const fileName of ['serial-child.mjs', 'chunks/serial-child.mjs']) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [serialChild()],
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: { input: { index: resolve(__dirname, 'preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].js' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      // PARX_RENDERER_OUT builds the UI elsewhere (parallel work; serve it with PARX_RENDERER_DIR).
      outDir: process.env.PARX_RENDERER_OUT ?? resolve(__dirname, 'out/renderer'),
      minify: true,
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
