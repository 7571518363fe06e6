// Page chrome in Japanese (default) and English (?lang=en). Data stays as the documents write it.
export const languages = ['ja', 'en'] as const;
export type Lang = (typeof languages)[number];

const ja = {
  siteName: 'Renkei 青森県・市町村連携プラットフォーム',
  skip: '本文へ移動',
  home: 'トップ',
  plans: '計画一覧',
  frontIntro:
    '青森県と県内市町村が共同で運用するプラットフォームです。計画と目標の進み具合、共有するデータ、住民向けのサービスをここから利用できます。',
  frontPlans: '計画と目標',
  frontData: 'データ連携基盤',
  frontDataText:
    '県と市町村、事業者のシステムが共有するデータ（避難場所・避難所、市町村など）を NGSI-LD（ETSI GS CIM 009）で提供しています。計画の数値は JSON の API とオープンデータ（CSV）でも取得できます。',
  frontDataLinks: ['NGSI-LD のデータの種類（/ngsi-ld/v1/types）', '計画の API（/api/v1/plans）'],
  latestPublication: (date: string) => `最新の公表: ${date}時点`,
  noPublication: '公表版はまだありません',
  dashboard: '目標達成状況ダッシュボード',
  asOf: '時点',
  basicGoals: '基本目標の進捗状況',
  kpis: '重要業績評価指標（KPI）の進捗状況',
  field: '分野',
  kpi: 'KPI',
  index: '指数',
  indexNote: '達成率の単純平均',
  change: '前期差',
  computedIndex: 'システム再計算値',
  components: '指標の構成要素',
  cases: '代表的な事例',
  indicators: '中間指標一覧',
  showTable: 'グラフの数値を表で見る',
  source: '出典',
  dataSource: 'データの出所',
  notes: '備考',
  reconciliation: '公表値と再計算値の照合',
  openData: 'オープンデータ',
  publications: '公表履歴',
  language: 'English',
  footerNote: '数値は各計画の公表資料から転記し、出典を各ページに記載しています。不明な値は「－」で表示します。',
  notFound: 'ページが見つかりません',
  badRequest: '入力に誤りがあります',
  serverError: 'エラーが発生しました',
};

export type Messages = typeof ja;

const en: Messages = {
  siteName: 'Renkei — Aomori prefecture and municipalities platform',
  skip: 'Skip to main content',
  home: 'Home',
  plans: 'Plans',
  frontIntro:
    'The platform Aomori Prefecture and its municipalities run together: how their plans and goals are progressing, the data they share, and services for residents.',
  frontPlans: 'Plans and goals',
  frontData: 'Data linkage platform',
  frontDataText:
    'Data shared by the prefecture’s, the municipalities’ and vendors’ systems (evacuation sites and shelters, municipalities) is served over NGSI-LD (ETSI GS CIM 009). The plans’ figures are also available as a JSON API and as open data (CSV).',
  frontDataLinks: ['NGSI-LD entity types (/ngsi-ld/v1/types)', 'The plans API (/api/v1/plans)'],
  latestPublication: (date: string) => `Latest publication: as of ${date}`,
  noPublication: 'No publication yet',
  dashboard: 'Goal achievement dashboard',
  asOf: 'as of',
  basicGoals: 'Basic goals',
  kpis: 'Key performance indicators (KPI)',
  field: 'Field',
  kpi: 'KPI',
  index: 'Index',
  indexNote: 'simple mean of achievement rates',
  change: 'Change since previous publication',
  computedIndex: 'Recomputed by the system',
  components: 'Components',
  cases: 'Representative cases',
  indicators: 'Intermediate indicators',
  showTable: 'Show the chart as a table',
  source: 'Source',
  dataSource: 'Data source',
  notes: 'Notes',
  reconciliation: 'Published vs recomputed figures',
  openData: 'Open data',
  publications: 'Publications',
  language: '日本語',
  footerNote:
    'Figures are transcribed from each plan\'s published documents; every page names its sources. Unknown values are shown as "－".',
  notFound: 'Page not found',
  badRequest: 'The request has an error',
  serverError: 'An error occurred',
};

export const messages: Record<Lang, Messages> = { ja, en };
