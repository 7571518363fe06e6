// The embedded database's directory belongs to one process at a time; a claim left by a process
// that is gone — killed, a zombie, its pid since reused by another program — is taken over.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDataDir, openPglite, processIdentity } from './db.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-claim-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
});

const claimOf = (dir: string) => readFileSync(join(dir, 'renkei.pid'), 'utf8');
const linux = existsSync('/proc/self/stat');
const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const stat = (pid: number) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], start: fields[19] };
};

/** A shell whose background child exits after the shell became `sleep`, which never waits for it: a zombie. */
async function spawnZombie(): Promise<{ zombie: number; parent: number }> {
  const shell = spawn('sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(shell);
  const zombie = Number(await new Promise<string>((resolve) => shell.stdout.once('data', (d) => resolve(String(d)))));
  await expect.poll(() => stat(zombie).state).toBe('Z');
  return { zombie, parent: shell.pid! };
}

function spawnSleeper(): number {
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(sleeper);
  return sleeper.pid!;
}

function expectTakenOver(dir: string) {
  const release = claimDataDir(dir);
  expect(claimOf(dir)).toBe(processIdentity(process.pid) ?? String(process.pid));
  release();
  expect(existsSync(join(dir, 'renkei.pid'))).toBe(false);
}

describe('the embedded database directory', () => {
  it('is refused, in Japanese, while another live process holds it (a claim of the pid alone, as older versions wrote)', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'renkei.pid'), String(process.ppid));
    await expect(openPglite({ dataDir: dir })).rejects.toThrow('使用中です。サーバーを停止してから実行してください');
    expect(claimOf(dir)).toBe(String(process.ppid));
  });

  it.skipIf(!linux)('is refused while the process named by pid and start time runs', async () => {
    const dir = fresh();
    const pid = spawnSleeper();
    const claim = processIdentity(pid)!;
    expect(claim).toBe(`${pid} ${bootId()}/${stat(pid).start}`);
    writeFileSync(join(dir, 'renkei.pid'), claim);
    await expect(openPglite({ dataDir: dir })).rejects.toThrow(`プロセス ${pid} が使用中です`);
    expect(claimOf(dir)).toBe(claim);
  });

  it('is claimed when the holder is gone, and released on close', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'renkei.pid'), '2147483646'); // no such process
    const database = await openPglite({ dataDir: dir });
    expect(claimOf(dir)).toBe(processIdentity(process.pid) ?? String(process.pid));
    await database.close();
    expect(existsSync(join(dir, 'renkei.pid'))).toBe(false);
  });

  it.skipIf(!linux)('is claimed when the holder is a zombie (killed, never reaped by its parent)', async () => {
    const { zombie } = await spawnZombie();
    const dir = fresh();
    writeFileSync(join(dir, 'renkei.pid'), `${zombie} ${bootId()}/${stat(zombie).start}`);
    expectTakenOver(dir);
    const old = fresh();
    writeFileSync(join(old, 'renkei.pid'), String(zombie));
    expectTakenOver(old);
  });

  it.skipIf(!linux)('is claimed when its pid now belongs to another program (another start time or boot)', () => {
    const pid = spawnSleeper();
    const dir = fresh();
    writeFileSync(join(dir, 'renkei.pid'), `${pid} ${bootId()}/${Number(stat(pid).start) - 1}`);
    expectTakenOver(dir);
    const rebooted = fresh();
    writeFileSync(join(rebooted, 'renkei.pid'), `${pid} another-boot/${stat(pid).start}`);
    expectTakenOver(rebooted);
  });

  it('is claimed when the pid is this process’s own (a restart that got the same pid)', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'renkei.pid'), `${process.pid} another-boot/1`);
    expectTakenOver(dir);
  });

  it('leaves on close a claim that is no longer its own', () => {
    const dir = fresh();
    const release = claimDataDir(dir);
    writeFileSync(join(dir, 'renkei.pid'), String(process.ppid));
    release();
    expect(claimOf(dir)).toBe(String(process.ppid));
  });
});
