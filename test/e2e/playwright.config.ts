// Browser tests of the web app (`npm run test:web`, part of `npm test`): Playwright driving
// Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium; scripts/ensure-chromium.mjs gets
// it when missing) against the local server — the same one `npm start` runs — on a free port
// with a fresh DynamoDB Local, started once for the run in global-setup.ts.
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// Node 20 here: the AWS SDK's notice about future Node versions (the server's functions load it) is noise
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Specs that move the local server's dev clock (POST /v1/dev/clock, every service's "now"): never
 * beside another test. Each runs in a project of its own, after every other test and one after
 * another (each depends on the one before), and sets the clock back when done.
 */
const MOVES_THE_CLOCK = [
  'superbill.spec.ts',
  'frontdesk.spec.ts',
  'clinician.spec.ts',
  'staff-past.spec.ts',
  'late-cancel.spec.ts',
  'desk-day.spec.ts',
];
const clockProjects = MOVES_THE_CLOCK.map((spec, i) => ({
  name: `clock-${spec.replace('.spec.ts', '')}`,
  testMatch: spec,
  dependencies: i === 0 ? ['desktop', 'phone'] : [`clock-${MOVES_THE_CLOCK[i - 1]!.replace('.spec.ts', '')}`],
  use: { ...devices['Desktop Chrome'] },
}));

/** Debian's Chromium (or CHROMIUM_PATH); without either, Playwright's own download (scripts/ensure-chromium.mjs). */
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/e2e',
  globalSetup: './global-setup.ts',
  fullyParallel: true,
  workers: 2,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  // on CI a failed test runs once more and the list says "flaky" (docs/web.md, "Tests"): a flake is a
  // defect to fix, the retry keeps it from stopping every journey after it
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium ? { executablePath: chromium } : {},
    locale: 'en-US',
    // the browser's own zone differs from both clinics': every time on screen must still be the clinic's
    timezoneId: 'Europe/Berlin',
  },
  projects: [
    { name: 'desktop', testIgnore: MOVES_THE_CLOCK, use: { ...devices['Desktop Chrome'] } },
    {
      name: 'phone',
      testIgnore: MOVES_THE_CLOCK,
      use: { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
      grep: /@phone/,
    },
    ...clockProjects,
  ],
});
