// The only side effects: config -> db -> migrate -> load default data if empty -> serve.
import { createServer } from 'node:http';
import { createApp } from './app.ts';
import { loadConfig, publicUrl } from './config.ts';
import { openDatabase } from './platform/db.ts';

const started = performance.now();
const config = loadConfig();
const database = await openDatabase(config);
await database.migrate();
const { plans, nodeHandler } = await createApp({ db: database.db, baseUrl: publicUrl(config) });
if (config.LOAD_DEFAULT_DATA && (await plans.loadDefaultDataIfEmpty()))
  console.log('青森県の既定データを読み込みました (default data loaded)');

const server = createServer(nodeHandler);
server.listen(config.PORT, config.HOST, () => {
  const ms = Math.round(performance.now() - started);
  console.log(`Renkei: http://${config.HOST}:${config.PORT}/ (${database.kind}, ready in ${ms} ms)`);
});

const shutdown = () => {
  server.close();
  void database.close().finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
