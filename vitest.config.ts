import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Removes the folders each test file made with testFolder (tests/temp-folders.ts) when it ends.
    setupFiles: ['tests/temp-folders.setup.ts'],
    // End-to-end tests drive a real Chromium and a real epubcheck: on a 2-core machine
    // two workers are the most that help, and single renders can take many seconds.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
