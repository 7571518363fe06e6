// A throwaway PostgreSQL server from Debian's packages, for the tests and the broker benchmark.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** A PostgreSQL server in a temporary directory, for this run only; fsync off only where durability does not matter (tests). */
export async function startPostgres({ fsync }) {
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
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}${fsync ? '' : ' -c fsync=off'}`,
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
