// Staff administration from the command line, against the same database as the server.
//   npm run staff -- create-admin --email you@example.jp --name "氏名"
//   npm run staff -- create --email … --name … --roles department_editor --department sogo-seisaku.dx-suishin
//   npm run staff -- verify-audit
//   npm run staff -- broker-client --name "青森市 センサー" --tenants aomori[,default] [--read-only]
//   npm run staff -- broker-client --name "弘前市 避難所受付" --organisation <unit id> --purpose shelter-reception
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, publicUrl } from '../config.ts';
import { verifyAuditChain } from '../platform/audit.ts';
import { badRequest } from '../platform/errors.ts';
import { parse } from '../platform/http.ts';
import { createBrokerClient, invitationInput, inviteAccount } from '../modules/identity/index.ts';
import { createOrganisationsModule } from '../modules/organisations/index.ts';
import { accountOptionProblem, argumentProblem } from './messages.ts';
import { runWithDatabase } from './database.ts';

const options = {
  email: { type: 'string' },
  name: { type: 'string' },
  roles: { type: 'string' },
  department: { type: 'string' },
  municipality: { type: 'string' },
  tenants: { type: 'string' },
  'read-only': { type: 'boolean' },
  organisation: { type: 'string' },
  purpose: { type: 'string' },
} as const;

const fail = (message: string): never => {
  console.error(`エラー: ${message}`);
  process.exit(1);
};
const { positionals, values } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options });
  } catch (err) {
    return fail(argumentProblem(err) ?? String(err));
  }
})();

const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    return fail(err instanceof ConfigError ? err.message : String(err));
  }
})();
await runWithDatabase(config, async (db) => {
  const command = positionals[0];
  if (command === 'create-admin' || command === 'create') {
    // No password is made here: the account is 招待中 until its person opens the link, sets a
    // password and enrols TOTP in the browser (the link works once, for ACCOUNT_LINK_HOURS).
    const roles =
      command === 'create-admin'
        ? ['prefecture_admin', 'plan_admin', 'approver']
        : (values.roles ?? '')
            .split(/[,、\s]+/)
            .map((r) => r.trim())
            .filter(Boolean);
    const problem = accountOptionProblem({ ...values, roles });
    if (problem) throw badRequest(problem);
    const input = parse(
      invitationInput,
      {
        email: values.email,
        name: values.name,
        roles,
        department: values.department ?? null,
        municipalityCode: values.municipality ?? null,
      },
      'アカウント',
    );
    const units = createOrganisationsModule({ db: db }).queries.unit;
    const invited = await inviteAccount(db, input, null, { baseUrl: publicUrl(config), hours: config.ACCOUNT_LINK_HOURS }, units);
    console.log(`アカウントを作成しました（招待中）: ${values.email}`);
    console.log(
      `本人がこのリンクを開き、パスワードと認証アプリを設定します（${config.ACCOUNT_LINK_HOURS}時間有効、一度だけ。この画面でのみ表示）:`,
    );
    console.log(invited.link);
  } else if (command === 'broker-client') {
    const client = await createBrokerClient(
      db,
      {
        name: values.name ?? '',
        tenants: (values.tenants ?? '').split(',').filter(Boolean),
        readOnly: values['read-only'],
        organisation: values.organisation,
        purpose: values.purpose,
      },
      null,
      createOrganisationsModule({ db }).queries.unit,
    );
    console.log(`データ連携基盤のクライアントを登録しました: ${values.name}`);
    console.log(`client_id: ${client.clientId}`);
    console.log(`client_secret（この画面でのみ表示）: ${client.clientSecret}`);
    console.log(`要求できるスコープ: ${client.scope}`);
  } else if (command === 'verify-audit') {
    const r = await verifyAuditChain(db);
    console.log(
      r.ok ? `監査ログのハッシュチェーンは正常です（${r.checked}件）` : `監査ログのハッシュチェーンが ${r.brokenAt} 番で一致しません`,
    );
    return r.ok ? 0 : 1;
  } else {
    console.error(
      '使い方: npm run staff -- create-admin --email … --name … | create --email … --name … --roles … | verify-audit | broker-client --name … --tenants … [--organisation … --purpose …]',
    );
    return 2;
  }
});
