// Before the browser tests (`npm run test:web`): make sure there is a Chromium to drive, and say
// what was done. Plain Node, no dependencies.
//
// 1. CHROMIUM_PATH, else /usr/bin/chromium (Debian's package): there → nothing to do.
// 2. Root on Debian/Ubuntu (CI, these machines): apt-get install -y chromium.
// 3. Anyone else: Playwright's own Chromium (`npx playwright install chromium`, a download), which
//    test/e2e/playwright.config.ts uses when no system Chromium is found.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const say = (line) => console.error(`browser: ${line}`);
const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (existsSync(path)) process.exit(0);
if (process.env.CHROMIUM_PATH) {
  say(`CHROMIUM_PATH=${path} does not exist`);
  process.exit(1);
}
if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  say('no Chromium at /usr/bin/chromium: installing Debian’s package (apt-get install -y chromium)');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
  say('installed /usr/bin/chromium');
} else {
  say('no Chromium at /usr/bin/chromium and not root: downloading Playwright’s own (npx playwright install chromium)');
  run('npx', ['playwright', 'install', 'chromium']);
  say('using Playwright’s Chromium (set CHROMIUM_PATH to use another)');
}
