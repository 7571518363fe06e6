// `npm test`: the whole suite — unit, PGlite, PostgreSQL and browser tests.
// Installs Chromium and PostgreSQL from Debian when missing (as root), starts a throwaway
// PostgreSQL server when DATABASE_URL is not set, runs vitest, and prints one closing line.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, chownSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

run('bash', [join(root, 'scripts/install-system.sh')]);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** A PostgreSQL server in a temporary directory, for this run only. */
async function startPostgres() {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  const bin = join('/usr/lib/postgresql', versions[0], 'bin');
  const dir = mkdtempSync(join(tmpdir(), 'renkei-pg-'));
  const port = await freePort();
  // PostgreSQL refuses to run as root: run it as the postgres user Debian's package created.
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const pg = (cmd, args) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'ignore' })
      : run(join(bin, cmd), args, { stdio: 'ignore' });
  pg('initdb', ['-D', join(dir, 'data'), '-U', 'renkei', '-A', 'trust', '-E', 'UTF8', '--no-locale']);
  pg('pg_ctl', [
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`,
    'start',
  ]);
  return {
    url: `postgres://renkei@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        pg('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const env = { ...process.env };
let server;
if (!env.DATABASE_URL) {
  server = await startPostgres();
  env.DATABASE_URL = server.url;
}

mkdirSync(join(root, '.cache'), { recursive: true });
const report = join(root, '.cache', 'vitest-report.json');
rmSync(report, { force: true });
let status;
try {
  const vitest = join(root, 'node_modules', '.bin', 'vitest');
  status = spawnSync(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env,
    cwd: root,
  }).status;
} finally {
  server?.stop();
}

if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  if (r.numTotalTests === 0) status = 1;
}
process.exit(status ?? 1);
