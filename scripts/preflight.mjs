// Runs before `npm start` and `npm test` (the prestart and pretest scripts), so that on a fresh
// clone each of them is enough on its own. Plain Node, no dependencies: it runs before
// node_modules exists.
//
// 1. Java 17 or newer as `java` on PATH (DynamoDB Local, which both commands start, runs it):
//    otherwise one line with the command that installs it, and a non-zero exit.
// 2. node_modules installed from the current package-lock.json: otherwise `npm ci`, after one
//    line saying why. Stale means node_modules (or npm's record of it,
//    node_modules/.package-lock.json) is missing, or package-lock.json changed after it: its
//    mtime is newer and its content differs from the last one seen here, or its content changed
//    while node_modules did not (a copy that kept an old mtime). The last content seen is a
//    sha256 kept in node_modules/.kapstone-preflight.json (which `npm ci` deletes with the rest).
//    Right after `npm ci` (CI: .ci/run) npm's record is newer than the lock: fresh, no second
//    install.
// When nothing is to be done it spawns nothing (no npm; `java -version` only when the `java` on
// PATH is not the one that passed last time): ~50 ms, node's own start-up included.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOCK = join(ROOT, 'package-lock.json');
const MODULES = join(ROOT, 'node_modules');
const INSTALLED = join(MODULES, '.package-lock.json'); // written by npm at the end of every install
const STAMP = join(MODULES, '.kapstone-preflight.json');
const JAVA_MAJOR = 17;
const WINDOWS = process.platform === 'win32';

const say = (line) => console.error(`preflight: ${line}`);
const mtimeMs = (path) => (existsSync(path) ? statSync(path).mtimeMs : undefined);

/** { lock: sha256 of package-lock.json, installedMtimeMs, java: identity of a java that passed } */
function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return {};
  }
}

function writeStamp(stamp) {
  if (!existsSync(MODULES)) return;
  const tmp = `${STAMP}.${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(stamp)}\n`);
  renameSync(tmp, STAMP);
}

// --- Java -----------------------------------------------------------------------------------

/** The `java` the shell would run (resolved through symlinks such as /etc/alternatives), with its size and mtime. */
function javaIdentity() {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of WINDOWS ? ['java.exe', 'java'] : ['java']) {
      try {
        const real = realpathSync(join(dir, name));
        const st = statSync(real);
        if (st.isFile()) return `${real}|${st.size}|${st.mtimeMs}`;
      } catch {
        // not in this directory
      }
    }
  }
  return undefined;
}

function javaMajor() {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8', shell: WINDOWS });
  if (r.error || r.status !== 0) return undefined;
  // `openjdk version "17.0.15" 2025-04-15`, `openjdk version "21" …`, `java version "1.8.0_401"`
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}\n${r.stdout}`);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2]) : major;
}

function javaInstallCommand() {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  if (process.platform === 'darwin') return 'brew install openjdk@17';
  if (WINDOWS) return 'winget install Microsoft.OpenJDK.17';
  if (existsSync('/usr/bin/apt-get')) return `${sudo}apt-get install -y openjdk-17-jre-headless`;
  if (existsSync('/usr/bin/dnf')) return `${sudo}dnf install -y java-17-openjdk-headless`;
  if (existsSync('/sbin/apk')) return `${sudo}apk add openjdk17-jre-headless`;
  return `${sudo}apt-get install -y openjdk-17-jre-headless (Debian/Ubuntu), or any Java ${JAVA_MAJOR}+ runtime as \`java\` on PATH`;
}

// --- node_modules ---------------------------------------------------------------------------

const lockHash = () => createHash('sha256').update(readFileSync(LOCK)).digest('hex');

/** Why node_modules must be (re)installed, or undefined when it is in step with package-lock.json. */
function staleness(stamp, lock) {
  if (!existsSync(MODULES)) return 'node_modules is missing';
  if (!existsSync(INSTALLED)) return 'node_modules/.package-lock.json is missing (an interrupted install?)';
  const seen = stamp.lock === lock;
  if (stamp.lock && !seen && stamp.installedMtimeMs === mtimeMs(INSTALLED)) {
    return 'package-lock.json changed since node_modules was installed (its content hash differs)';
  }
  if (!seen && mtimeMs(LOCK) > mtimeMs(INSTALLED)) return 'package-lock.json is newer than node_modules/.package-lock.json';
  return undefined;
}

function npmCi() {
  // The npm that runs this lifecycle script, when there is one; otherwise npm on PATH.
  const npmCli = process.env.npm_execpath;
  const [cmd, args] = npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, 'ci']] : ['npm', ['ci']];
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', shell: WINDOWS && cmd === 'npm' });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

// --------------------------------------------------------------------------------------------

const stamp = readStamp();

const java = javaIdentity();
if (!java || java !== stamp.java) {
  const major = java ? javaMajor() : undefined;
  if (major === undefined || major < JAVA_MAJOR) {
    const found = major === undefined ? 'no working `java` on PATH' : `java ${major} on PATH`;
    say(`DynamoDB Local needs Java ${JAVA_MAJOR}+ (${found}); install it with: ${javaInstallCommand()}`);
    process.exit(1);
  }
}

if (existsSync(LOCK)) {
  const lock = lockHash();
  const why = staleness(stamp, lock);
  if (why) {
    say(`${why}: running npm ci`);
    const status = npmCi();
    if (status !== 0) process.exit(status);
    writeStamp({ lock: lockHash(), installedMtimeMs: mtimeMs(INSTALLED), java });
  } else if (stamp.lock !== lock || stamp.installedMtimeMs !== mtimeMs(INSTALLED) || stamp.java !== java) {
    writeStamp({ lock, installedMtimeMs: mtimeMs(INSTALLED), java });
  }
} else if (stamp.java !== java) {
  writeStamp({ ...stamp, java });
}
