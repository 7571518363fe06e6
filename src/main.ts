// The only side effects: config -> db -> migrate -> load default data if empty -> serve.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { z } from 'zod';
import { federatedProvider } from './modules/identity/index.ts';
import { sendReminders } from './modules/workspace/index.ts';
import { smtpMailer } from './platform/mailer.ts';
import { createApp } from './app.ts';
import { brokerLimits, loadConfig, publicUrl } from './config.ts';
import { openDatabase } from './platform/db.ts';

const started = performance.now();
const config = loadConfig();
const database = await openDatabase(config);
await database.migrate();
const jsonFile = async <T extends z.ZodTypeAny>(path: string | undefined, schema: T): Promise<z.infer<T> | undefined> =>
  path ? schema.parse(JSON.parse(await readFile(path, 'utf8'))) : undefined;
const { plans, broker, nodeHandler } = await createApp({
  db: database.db,
  baseUrl: publicUrl(config),
  federation: await jsonFile(config.IDENTITY_FEDERATION, z.array(federatedProvider)),
  clients: await jsonFile(config.IDENTITY_CLIENTS, z.array(z.object({ client_id: z.string() }).passthrough())),
  broker: {
    auth: config.NGSI_LD_AUTH === 'on',
    limits: brokerLimits(config),
    contexts: Object.fromEntries(
      await Promise.all(
        Object.entries((await jsonFile(config.NGSI_LD_CONTEXTS, z.record(z.string(), z.string()))) ?? {}).map(async ([url, path]) => [
          url,
          JSON.parse(await readFile(path, 'utf8')),
        ]),
      ),
    ),
  },
});
if (config.NGSI_LD_AUTH === 'off')
  console.warn('警告: NGSI_LD_AUTH=off のため、NGSI-LD の読み書きにアクセストークンを求めません（開発・適合試験専用）。');
if (config.LOAD_DEFAULT_DATA && (await plans.loadDefaultDataIfEmpty()))
  console.log('青森県の既定データを読み込みました (default data loaded)');
if (config.LOAD_DEFAULT_DATA && (await broker.loadDefaultDataIfEmpty())) {
  console.log('避難場所・避難所と市町村をデータ連携基盤に読み込みました (shelters loaded)');
}

const server = createServer(nodeHandler);
server.listen(config.PORT, config.HOST, () => {
  const ms = Math.round(performance.now() - started);
  console.log(`Renkei: http://${config.HOST}:${config.PORT}/ (${database.kind}, ready in ${ms} ms)`);
  broker.notifier.start();
});

// Reporting-round reminders, hourly, by the date in Japan.
const reminders = config.SMTP_URL
  ? setInterval(
      () =>
        void sendReminders(database.db, smtpMailer(config.SMTP_URL!, config.MAIL_FROM), {
          planId: 'aomori-dx',
          baseUrl: publicUrl(config),
          today: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' }),
        }).catch((err) => console.error('reminders:', err)),
      3600_000,
    )
  : (console.log('SMTP_URL が未設定のため、報告期限のリマインダーメールは送信しません。'), undefined);

const shutdown = () => {
  clearInterval(reminders);
  server.close();
  // Notifications being sent finish (or are retried after the restart: the queue is in the database).
  void broker.notifier
    .stop()
    .then(() => database.close())
    .finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
