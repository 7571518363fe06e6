// The only side effects: config (and its files) -> db -> migrate -> load default data if empty -> serve.
import { createServer } from 'node:http';
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { smtpMailer } from './platform/mailer.ts';
import { createApp } from './app.ts';
import { brokerLimits, ConfigError, loadConfig, publicUrl } from './config.ts';
import { loadConfigFiles } from './config-files.ts';
import { openDatabase } from './platform/db.ts';
import { AppError } from './platform/errors.ts';
import { outbound } from './platform/outbound.ts';
import { checkKeysCover, loadResidentKeys } from './modules/residents/index.ts';

// What the operator must fix (the configuration, a data directory in use) is one line and exit 1,
// before anything is opened; anything else is a crash with its stack.
const refuse = (err: unknown): never => {
  if (!(err instanceof ConfigError || (err instanceof AppError && err.code === 'data_dir_in_use'))) throw err;
  console.error(err.message);
  process.exit(1);
};

const started = performance.now();
const { config, files } = await (async () => {
  const config = loadConfig();
  return { config, files: await loadConfigFiles(config) };
})().catch(refuse);
// Refused here, before the database opens: a key file others can read, or a malformed one (the
// first start creates the file).
const residentKeys = await Promise.resolve()
  .then(() => loadResidentKeys(config))
  .catch(refuse);
const database = await openDatabase(config).catch(refuse);
// Several servers may start at once on one PostgreSQL: one at a time migrates and loads default data.
const unlock = await database.lock('renkei start-up');
await database.migrate();
await checkKeysCover(database.db, residentKeys.ring).catch(async (err: unknown) => {
  await unlock();
  await database.close();
  return refuse(err);
});
const mailer = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
const { plans, workspace, broker, organisations, identity, disaster, nodeHandler } = await createApp({
  db: database.db,
  mailer,
  residentKeys: residentKeys.ring,
  linkHours: config.ACCOUNT_LINK_HOURS,
  baseUrl: publicUrl(config),
  trustProxy: config.TRUST_PROXY,
  federation: files.federation,
  mynumber: files.mynumber,
  clients: files.clients,
  outbound: outbound({ allow: config.OUTBOUND_ALLOW }),
  jma: { feeds: config.JMA_FEEDS, pollSeconds: config.JMA_POLL_SECONDS, minIntensity: config.JMA_MIN_INTENSITY },
  disasterBasemapUrl: config.DISASTER_BASEMAP_URL,
  broker: { auth: config.NGSI_LD_AUTH === 'on', limits: brokerLimits(config), contexts: files.contexts },
});
if (config.NGSI_LD_AUTH === 'off')
  console.warn('警告: NGSI_LD_AUTH=off のため、NGSI-LD の読み書きにアクセストークンを求めません（開発・適合試験専用）。');
if (config.LOAD_DEFAULT_DATA) await organisations.loadDefaultData?.();
if (config.LOAD_DEFAULT_DATA && (await plans.loadDefaultData?.())) console.log('青森県の既定データを読み込みました (default data loaded)');
if (config.LOAD_DEFAULT_DATA && (await broker.loadDefaultData())) {
  console.log('避難場所・避難所と市町村をデータ連携基盤に読み込みました (shelters loaded)');
}
// A fresh installation: the first administrator is made in the browser through this link, once.
const setup = await identity.commands.issueSetupLink();
if (setup)
  console.log(`アカウントがまだありません。最初の管理者を次のURLで登録してください（${config.ACCOUNT_LINK_HOURS}時間有効）: ${setup}`);
// マイエリア points kept in clear by an earlier version are sealed now, inside the start-up lock (my-area-points.ts).
const sealed = await disaster.commands.sealMyAreaPoints();
if (sealed) console.log(`マイエリアの地点${sealed}件を暗号化しました (my-area points sealed)`);
await unlock();

// PGlite runs no autovacuum, so without this the planner has no statistics and reads and sorts every
// entity of a type for a page of 20 (docs/benchmarks.md); PostgreSQL's autovacuum does it by itself.
const analyze = () => database.db.execute(sql`analyze`).catch((err) => console.error('analyze:', err));
const statistics = database.kind === 'pglite' ? (await analyze(), setInterval(analyze, 600_000)) : undefined;

const server = createServer(nodeHandler);
server.listen(config.PORT, config.HOST, () => {
  const ms = Math.round(performance.now() - started);
  // The port actually taken: PORT=0 asks for a free one.
  const { port } = server.address() as AddressInfo;
  console.log(`Renkei: http://${config.HOST}:${port}/ (${database.kind}, ready in ${ms} ms)`);
  broker.commands.startNotifier();
  disaster.commands.startJmaPoller();
  disaster.commands.startPush();
});

// Reporting-round reminders, hourly, by the date in Japan.
const reminders = config.SMTP_URL
  ? setInterval(
      () =>
        void workspace.queries
          .roundPlans()
          .then(async (plans) => {
            for (const plan of plans)
              await workspace.commands.sendReminders(mailer!, {
                planId: plan.id,
                baseUrl: publicUrl(config),
                today: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' }),
              });
          })
          .catch((err) => console.error('reminders:', err)),
      3600_000,
    )
  : (console.log('SMTP_URL が未設定のため、報告期限のリマインダーメールは送信しません。'), undefined);

const shutdown = () => {
  clearInterval(reminders);
  clearInterval(statistics);
  server.close();
  // Notifications being sent finish (or are retried after the restart: the queue is in the database).
  void Promise.all([broker.commands.stopNotifier(), disaster.commands.stopJmaPoller(), disaster.commands.stopPush()])
    .then(() => database.close())
    .finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
