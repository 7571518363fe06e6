// The server as `npm start` runs it (node --import tsx src/main.ts), on the embedded database in a
// temporary directory and a free loopback port; the tests stop what they started with stopServers().
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reservePort } from './db.ts';

const dirs: string[] = [];
export const children: ChildProcessWithoutNullStreams[] = [];

export function freshDir() {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-main-'));
  dirs.push(dir);
  return dir;
}

export function stopServers() {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
}

/** The environment of a server on the embedded database in `dir`, whatever the test run uses. */
export function serverEnv(dir: string, env: Record<string, string>) {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  return { ...base, DATA_DIR: dir, HOST: '127.0.0.1', LOAD_DEFAULT_DATA: 'false', ...env };
}

export interface Server {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  closed: Promise<number | null>;
  pid: number;
  url: string;
}

/**
 * `npm start` on the embedded database in `dir`; resolves once it listens, rejects if it exits first.
 * `unreaped`: started by a shell that then becomes `sleep`, which never waits for it — killed, the
 * server stays a zombie, as under a supervisor that does not reap.
 */
export async function startServer(dir: string, env: Record<string, string> = {}, unreaped = false): Promise<Server> {
  const port = await reservePort();
  const portNumber = new URL(port.url).port;
  await port.close();
  const options = { cwd: new URL('..', import.meta.url).pathname, env: serverEnv(dir, { PORT: portNumber, ...env }) };
  const child = unreaped
    ? spawn('sh', ['-c', '"$0" --import tsx src/main.ts & echo "pid $!"; exec sleep 120', process.execPath], options)
    : spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], options);
  children.push(child);
  const closed = new Promise<number | null>((r) => child.once('close', r));
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => output.includes('Renkei: http') && resolve());
    void closed.then(() => reject(new Error(`the server exited:\n${output}`)));
  });
  const pid = unreaped ? Number(/^pid (\d+)/m.exec(output)![1]) : child.pid!;
  return { child, output: () => output, closed, pid, url: `http://127.0.0.1:${portNumber}` };
}
