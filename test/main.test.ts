// The server as `npm start` runs it: a warning while NGSI-LD access tokens are off, none otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reservePort } from './db.ts';

async function startOutput(env: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-main-'));
  const port = await reservePort();
  const portNumber = new URL(port.url).port;
  await port.close();
  const base = { ...process.env };
  delete base.DATABASE_URL; // the embedded database, whatever the test run uses
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...base, DATA_DIR: dir, PORT: portNumber, HOST: '127.0.0.1', LOAD_DEFAULT_DATA: 'false', ...env },
  });
  const closed = new Promise((r) => child.once('close', r));
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => output.includes('Renkei: http') && resolve());
      void closed.then(() => reject(new Error(`the server exited:\n${output}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await closed;
    rmSync(dir, { recursive: true, force: true });
  }
  return output;
}

describe('npm start', () => {
  it('warns while NGSI_LD_AUTH=off, and not when it is on', async () => {
    expect(await startOutput({ NGSI_LD_AUTH: 'off' })).toContain(
      'NGSI_LD_AUTH=off のため、NGSI-LD の読み書きにアクセストークンを求めません',
    );
    expect(await startOutput({})).not.toContain('NGSI_LD_AUTH=off');
  }, 60_000);
});
