// What both benchmarks share: child servers, readiness, stopping, ports, CPU per process tree,
// the code version measured, and writing one section of docs/benchmarks.md.
import { execFileSync, spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

export function start(cmd, args, env, running, { stdin = 'ignore' } = {}) {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: [stdin, 'pipe', 'pipe'] });
  const proc = { child, output: '', t0: performance.now() };
  // 'close', not 'exit': only then is all of the output read, which is what a failed start needs to show.
  proc.exited = new Promise((resolve) => child.once('close', resolve));
  proc.exited.then(() => running.delete(proc));
  child.stdout.on('data', (d) => (proc.output += d));
  child.stderr.on('data', (d) => (proc.output += d));
  running.add(proc);
  return proc;
}

/** Wall time from spawn to the first 200; a server that dies first fails the run with its output. */
export async function waitReady(proc, url, timeoutMs = 60_000) {
  let dead = false;
  proc.exited.then(() => (dead = true));
  while (performance.now() - proc.t0 < timeoutMs) {
    if (dead) throw new Error(`server exited before ready:\n${proc.output}`);
    const status = await fetch(url).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => null, // not listening yet
    );
    if (status === 200) return { ms: Math.round(performance.now() - proc.t0), log: readyLog(proc) };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not ready after ${timeoutMs} ms: ${url}\n${proc.output}`);
}

function readyLog(proc) {
  return proc.output.match(/ready in (\d+) ms/)?.[1] ?? null;
}

/** SIGTERM, then SIGKILL the whole process tree if it hangs. */
export async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const pids = treePids(proc.child.pid);
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => pids.forEach((p) => tryKill(p)), 10_000);
  await proc.exited;
  clearTimeout(timer);
}

function tryKill(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function freePort() {
  const srv = createNetServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

// CPU and kill cover the process tree, in case the server starts children (Linux /proc only).
function treePids(root) {
  try {
    const parent = new Map();
    for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // process ended while scanning
      }
    }
    const pids = [root];
    for (let i = 0; i < pids.length; i++) for (const [p, pp] of parent) if (pp === pids[i]) pids.push(p);
    return pids;
  } catch {
    return [root];
  }
}

/** CPU seconds used so far by a process tree, or null where /proc is unavailable. */
export function treeCpu(root) {
  try {
    return treePids(root).reduce((sum, p) => {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
    }, 0);
  } catch {
    return null;
  }
}

// src/ changes while people work; the report must say which code it measured.
export function codeVersion() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'package-lock.json') !== '';
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Replaces the part of docs/benchmarks.md between <!-- name --> and <!-- /name --> (or appends it). */
export function writeSection(name, markdown) {
  const file = join(ROOT, 'docs/benchmarks.md');
  const [open, close] = [`<!-- ${name} -->`, `<!-- /${name} -->`];
  const doc = readFileSync(file, 'utf8');
  const section = `${open}\n${markdown.trim()}\n${close}`;
  const at = doc.indexOf(open);
  const next = at < 0 ? `${doc.trimEnd()}\n\n${section}\n` : doc.slice(0, at) + section + doc.slice(doc.indexOf(close) + close.length);
  writeFileSync(file, next);
  console.log(`wrote the ${name} section of docs/benchmarks.md`);
}
