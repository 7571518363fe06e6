// The only side effects: config -> db -> migrate -> load default data if empty -> serve.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db.ts';

const started = performance.now();
const config = loadConfig();
const database = await openDatabase(config);
await database.migrate();
const { app, plans } = createApp({ db: database.db });
if (config.LOAD_DEFAULT_DATA && (await plans.loadDefaultDataIfEmpty()))
  console.log('青森県の既定データを読み込みました (default data loaded)');

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const ms = Math.round(performance.now() - started);
  console.log(`Renkei: http://${info.address}:${info.port}/ (${database.kind}, ready in ${ms} ms)`);
});

const shutdown = () => {
  server.close();
  void database.close().finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
