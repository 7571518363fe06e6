// The tail every command-line tool shares: open the configured database (migrated), run one command,
// close it and exit with the command's code. An AppError or ConfigError is one Japanese line, exit 1.
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import { openDatabase, type Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';

export const cliMessage = (err: unknown) =>
  err instanceof AppError ? `エラー: ${err.message}` : err instanceof ConfigError ? err.message : err;

export async function runWithDatabase(config: Config, command: (db: Db) => Promise<number | void>): Promise<never> {
  const database = await Promise.resolve()
    .then(() => openDatabase(config))
    .catch((err: unknown) => {
      console.error(cliMessage(err));
      return process.exit(1);
    });
  await database.migrate();
  let code: number;
  try {
    code = (await command(database.db)) ?? 0;
  } catch (err) {
    console.error(cliMessage(err));
    code = 1;
  } finally {
    await database.close();
  }
  return process.exit(code);
}
