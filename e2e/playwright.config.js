// Playwright drives Debian's Chromium (/usr/bin/chromium) against the release build in
// ../dist, served by Python's static server on loopback: the page a person downloads,
// not `trunk serve`. No browser is downloaded; the flags keep Chromium off the network.
const { defineConfig } = require('@playwright/test');
const path = require('path');

const port = Number(process.env.E2E_PORT || 8181);
const dist = path.resolve(process.env.E2E_DIST || path.join(__dirname, '..', 'dist'));
const repo = path.resolve(__dirname, '..');

module.exports = defineConfig({
  testDir: './tests',
  outputDir: path.join(repo, 'artifacts', 'test-results'),
  // One worker: the machine has 2 cores and the page is the thing being measured.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(repo, 'artifacts', 'e2e-results.json') }],
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    browserName: 'chromium',
    viewport: { width: 1400, height: 900 },
    // Playwright launches with a fresh temporary profile (--user-data-dir) on every run.
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `python3 -m http.server ${port} --bind 127.0.0.1 --directory "${dist}"`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 20_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
