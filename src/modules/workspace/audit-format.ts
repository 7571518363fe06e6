// How an audit entry reads for people: Japanese labels for actions, records and fields, the change
// as a list of the fields that changed (before → after, as short text), and times in JST. Pure, so
// the page and the CSV say the same thing.

const nodeKinds: Record<string, string> = { field: '分野', kpi: 'KPI', indicator: '指標' };
const sheets: Record<string, string> = { budgets: '予算', indicators: '指標', projects: '事業' };

const fixedActions: Record<string, string> = {
  submit_entry: '実績値の提出',
  approve_entry: '実績値の承認',
  return_entry: '実績値の差し戻し',
  open_round: '報告ラウンドの開始',
  publish_round: '報告ラウンドの公表',
  assign_owner: '担当部局の割り当て',
  update_budget: '予算の更新',
  edit_indicator: '指標の編集',
  start_revision: '計画改定の開始',
  add_project: '事業の追加',
  end_project: '事業の終了',
  set_partners: '連携市町村の設定',
  create_account: 'アカウントの作成',
  add_unit: '組織の追加',
  rename_unit: '組織の名称変更',
  retire_unit: '組織の廃止',
  restore_unit: '組織の復活',
  invite_account: 'アカウントの招待',
  accept_invitation: '招待の受諾（パスワードと認証アプリの設定）',
  change_roles: '役割・担当の変更',
  disable_account: 'アカウントの停止',
  enable_account: 'アカウントの再開',
  reset_account: 'アカウントの再設定',
  request_totp_reenrolment: '認証アプリの再登録の依頼',
  complete_totp_reenrolment: '認証アプリの再登録',
  change_password: 'パスワードの変更',
  regenerate_recovery_codes: 'リカバリーコードの再発行',
  setup_first_admin: '最初の管理者の登録',
  create: 'ブローカークライアントの作成',
  delete: 'ブローカークライアントの取り消し',
  record_legal_basis: '法令に基づく提供の記録',
  issue_alert: '避難情報の発令',
  update_alert: '避難情報の改めての発令',
  cancel_alert: '避難情報の解除',
  import_disaster_layer: '防災マップのレイヤー取込',
  update_shelter_status: '避難所の開設状況・収容人数の記録',
  update_shelter_needs: '避難所の物資・傷病者の記録',
  add_shelter_incident: '避難所の出来事の記録',
  shelter_check_in: '避難所の受付（入所）',
  shelter_check_out: '避難所の退所',
  export_safety_pfif: '安否情報の書き出し（PFIF）',
  import_safety_pfif: '安否情報の取り込み（PFIF）',
  approve_disaster_report: '写真投稿の公開承認',
  reject_disaster_report: '写真投稿の非公開（却下）',
  import_disaster_roster: '避難行動要支援者名簿の取り込み',
  record_roster_followup: '避難行動要支援者の確認の記録',
  link_roster_entry: '避難行動要支援者名簿と住民アカウントの結びつけ',
  unlink_roster_entry: '避難行動要支援者名簿と住民アカウントの結びつきの解除',
  start_roster_round: '避難行動要支援者の確認の開始',
  schedule_disaster_certificate: '罹災証明書の調査日の決定',
  decide_disaster_certificate: '罹災証明書の被害の程度の判定',
  issue_disaster_certificate: '罹災証明書の交付',
  add_passkey: 'パスキーの追加（住民）',
  give_consent: '同意（住民）',
  withdraw_consent: '同意の撤回（住民）',
  remove_passkey: 'パスキーの削除（住民）',
  export_resident_data: '個人データの開示（書き出し）',
  delete_resident_data: '個人データの削除（請求による）',
};

/** Every action code written in src has a label here (audit-format.test.ts greps the source); an unknown code shows as itself. */
export function actionLabel(action: string): string {
  const fixed = fixedActions[action];
  if (fixed) return fixed;
  const m = /^(add|rename|retire|import)_(.+)$/.exec(action);
  if (m) {
    const [, verb, what] = m as unknown as [string, string, string];
    if (verb === 'import' && sheets[what]) return `${sheets[what]}の取り込み`;
    const kind = nodeKinds[what];
    if (kind) return `${kind}の${{ add: '追加', rename: '名称変更', retire: '廃止' }[verb as 'add' | 'rename' | 'retire']}`;
  }
  return action;
}

/** Codes whose label comes from a template (add_${kind}, …): what the test expects for each. */
export const templatedActions = [
  ...Object.keys(nodeKinds).flatMap((k) => [`add_${k}`, `rename_${k}`, `retire_${k}`]),
  ...Object.keys(sheets).map((s) => `import_${s}`),
];

const entities: Record<string, string> = {
  ...nodeKinds,
  project: '事業',
  reporting_round: '報告ラウンド',
  plan_version: '計画の版',
  staff_account: 'アカウント',
  broker_client: 'ブローカークライアント',
  organisation_unit: '組織',
  legal_basis_record: '法令に基づく提供の記録',
  resident_passkey: '住民のパスキー',
  consent_record: '同意記録',
  disaster_alert: '避難情報',
  disaster_layer: '防災マップのレイヤー',
  disaster_report: '写真投稿',
  disaster_shelter: '避難所',
  disaster_checkin: '避難所の受付',
  disaster_safety: '安否情報',
  disaster_roster: '避難行動要支援者名簿',
  disaster_roster_entry: '避難行動要支援者名簿の人',
  disaster_certificate: '罹災証明書の申請',
};
export const entityLabel = (entity: string) => entities[entity] ?? entity;
export const entityCodes = Object.keys(entities);

const fields: Record<string, string> = {
  name: '名称',
  parent: '上位項目',
  unit: '単位',
  target: '目標値',
  targetValue: '目標値',
  targetYear: '目標年度',
  direction: '方向',
  components: '構成',
  retired: '廃止',
  ownerDepartment: '担当部局',
  number: '事業番号',
  category: '分類',
  label: '名称',
  from: '改定元',
  email: 'メールアドレス',
  roles: '役割',
  department: '担当部局',
  municipalityCode: '市町村',
  kind: '種類',
  scope: '範囲',
  value: '値',
  periodLabel: '時点',
  source: 'データの出所',
  note: '備考',
  status: '状態',
  enteredBy: '入力者',
  enteredAt: '入力日時',
  reviewedBy: '確認者',
  reviewComment: '確認コメント',
  indicatorId: '指標ID',
  roundId: 'ラウンドID',
  asOf: '基準日',
  dueDate: '提出期限',
  createdBy: '作成者',
  createdAt: '作成日時',
  publicationId: '公表ID',
  planId: '計画',
  partners: '連携市町村',
  amount: '金額',
  cell: '区分',
  surveyOn: '調査日',
  grade: '被害の程度',
};
export const fieldLabel = (field: string) => fields[field] ?? field;

const statuses: Record<string, string> = {
  submitted: '提出済み',
  approved: '承認済み',
  returned: '差し戻し',
  open: '受付中',
  published: '公表済み',
  department: '部局',
  section: '課',
  municipality: '市町村',
  invited: '招待中',
  active: '有効',
  disabled: '停止中',
  // 罹災証明書の申請 (disaster/certificate; its 'issued' is left as is: alerts use the word for 発令)
  received: '受付',
  scheduled: '調査予定',
  decided: '判定済',
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A value as short text: never JSON braces; null and missing are "－". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '－';
  if (typeof value === 'boolean') return value ? 'はい' : 'いいえ';
  if (typeof value === 'number') return value.toLocaleString('ja-JP', { maximumFractionDigits: 10 });
  if (typeof value === 'string') {
    if (ISO_TIME.test(value) && !Number.isNaN(Date.parse(value))) return formatJst(value);
    return statuses[value] ?? value;
  }
  if (Array.isArray(value)) return value.length === 0 ? '（なし）' : value.map(formatValue).join('、');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${fieldLabel(k)}: ${formatValue(v)}`)
    .join('、');
}

/** A list of objects keyed by fiscal year (budgets) becomes one field per year, so a diff names the year. */
function asFields(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return {};
  if (Array.isArray(value) && value.every((x) => x && typeof x === 'object' && 'fiscalYear' in x)) {
    return Object.fromEntries(
      value.map((x: Record<string, unknown>) => {
        const { fiscalYear, ...rest } = x;
        const key = fiscalYear === null ? '計' : `${String(fiscalYear)}年度`;
        return [key, 'amount' in rest && (rest.cell === undefined || rest.cell === 'value') ? rest.amount : rest];
      }),
    );
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return null;
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Fields that hold an organisation unit's id: shown by the unit's name. */
const unitFields = new Set(['ownerDepartment', 'department', 'municipalityCode']);

/**
 * The fields that changed, in Japanese, with values as text. A whole value that is not a record is
 * one change. `unitName` names the units that fields such as 担当部局 hold (ids otherwise).
 */
export function changes(before: unknown, after: unknown, unitName: (id: string) => string = (id) => id): FieldChange[] {
  const b = asFields(before);
  const a = asFields(after);
  // A list of municipality codes (a project's partners) reads as their names.
  const codes = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && /^\d{5}$/.test(x))
      ? v.map((x: string) => unitName(x)).join('、')
      : formatValue(v);
  if (b === null || a === null) {
    return same(before, after) ? [] : [{ field: '値', before: codes(before), after: codes(after) }];
  }
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => !same(b[k], a[k]))
    .map((k) => {
      const show = (v: unknown) => (unitFields.has(k) && typeof v === 'string' && v ? unitName(v) : formatValue(v));
      return { field: fieldLabel(k), before: k in b ? show(b[k]) : '－', after: k in a ? show(a[k]) : '－' };
    });
}

const jst = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 2026年12月1日 14:05 (Asia/Tokyo). */
export function formatJst(iso: string | Date): string {
  const parts = Object.fromEntries(jst.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** The UTC instant at which a JST calendar day (YYYY-MM-DD) starts. */
export const jstDayStart = (day: string) => new Date(`${day}T00:00:00+09:00`).toISOString();

export { toCsv } from '../../platform/csv.ts';
