import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['app/**/*.test.ts', 'eslint-rules/**/*.test.ts', 'main/**/*.test.ts', 'preload/**/*.test.ts', 'native/**/*.test.ts', 'renderer/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    allowOnly: false,
  },
});
