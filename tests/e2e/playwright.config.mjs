// End-to-end tests: Debian's Chromium driving the demo site served by the real consent-server.
import { defineConfig } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT || 8181);
// A fresh database per run, and an admin token the tests use to read it back.
process.env.E2E_DATABASE ||= join(tmpdir(), `consent-e2e-${process.pid}-${Date.now()}.db`);
process.env.E2E_ADMIN_TOKEN ||= 'e2e-admin-token';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  outputDir: '.output',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Deadlines, not waits: a passing assertion returns as soon as it holds. They are long enough
  // for a machine with one core taken by other work to load the wasm and a policy file
  // (a 5 s deadline for a policy opened before the wasm ran failed once under load).
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `target/server/consent-server --listen 127.0.0.1:${port} --rate-limit 0 `
      + `--database-url sqlite:${process.env.E2E_DATABASE}?mode=rwc --admin-token ${process.env.E2E_ADMIN_TOKEN}`,
    cwd: '../..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
