// `npm test`: the whole suite — unit, PGlite, PostgreSQL and browser tests.
// Installs Chromium and PostgreSQL from Debian when missing (as root), starts a throwaway
// PostgreSQL server when DATABASE_URL is not set, runs vitest, and prints one closing line.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres } from './postgres.mjs';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

run('bash', [join(root, 'scripts/install-system.sh')]);

const env = { ...process.env };
let server;
if (!env.DATABASE_URL) {
  server = await startPostgres({ fsync: false });
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
  // The provenance tests read the prefecture's documents, which live beside the project, not in it.
  const seeds = env.SEEDS_DIR ?? join(root, '..', 'shared', 'seeds');
  if (!existsSync(seeds)) console.log(`(the provenance tests were skipped: no documents at ${seeds}; set SEEDS_DIR)`);
  if (r.numTotalTests === 0) status = 1;
}
process.exit(status ?? 1);
