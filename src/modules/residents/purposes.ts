// 利用目的: the fixed list of what a service may use a resident's data for. A consent is given per
// purpose; its notice (ISO/IEC 29184) is built from these fields, so a purpose that changes what it
// takes gets a new version and earlier consents no longer cover it.

export type RecipientKind =
  /** 受付先の市町村: any municipality in the registry may receive (the shelter the resident goes to). */
  | { kind: 'any-municipality' }
  /** The municipality of the resident's address (マイページ's profile). */
  | { kind: 'own-municipality' }
  /** One unit of the registry, named by id. */
  | { kind: 'unit'; unitId: string };

export interface Purpose {
  id: string;
  /** Bumped whenever anything below changes: consents name the version they were given for. */
  version: number;
  title: string;
  /** What the recipient does with the data, in plain Japanese. */
  why: string;
  recipient: RecipientKind;
  /** The data categories (categories.ts) the purpose takes; a consent may cover fewer. */
  categories: readonly string[];
  /** DPV purpose term. */
  dpv: string;
  /** How long a consent lasts unless withdrawn, ISO 8601 duration (dpv:hasDuration). */
  duration: string;
}

export const purposes: readonly Purpose[] = [
  {
    id: 'shelter-reception',
    version: 1,
    title: '避難所の受付で要配慮情報を共有する',
    why: '避難所で受付をしたとき、受付先の市町村が、事前に登録した家族や要配慮事項（服薬・アレルギーなど）をもとに支援を用意します。',
    recipient: { kind: 'any-municipality' },
    categories: ['name', 'birthDate', 'household', 'mobility', 'medicalDevices', 'medication', 'allergies', 'languages', 'pets'],
    dpv: 'dpv:ServiceProvision',
    duration: 'P1Y',
  },
  {
    id: 'disaster-supporter',
    version: 1,
    title: '災害時に支援者として連絡を受ける',
    why: '大規模災害のとき、県の防災危機管理課が、ボランティアや医療関係者・教職員として協力を申し出た人に連絡し、避難所への配置を調整します。',
    recipient: { kind: 'unit', unitId: 'kiki-kanri.bosai-kiki-kanri' },
    categories: ['name', 'phone', 'supporter'],
    dpv: 'dpv:CommunicationManagement',
    duration: 'P1Y',
  },
  {
    id: 'child-rearing-support',
    version: 1,
    title: '子育て支援サービスで世帯の情報を使う',
    why: '住所地の市町村が、世帯の子どもの年齢に合った子育て支援の案内や手続きを用意します。',
    recipient: { kind: 'own-municipality' },
    categories: ['name', 'address', 'household'],
    dpv: 'dpv:ServiceProvision',
    duration: 'P1Y',
  },
  {
    // 避難行動要支援者名簿 (disaster/roster): the municipality links a person on its roster to their account, so a
    // check-in or 安否確認 takes them off the not-yet-confirmed list. A legal basis record (災害対策基本法
    // 第49条の11第3項) lets it read without consent in a disaster; a consent lets it read beforehand.
    id: 'evacuation-support-roster',
    version: 1,
    title: '避難行動要支援者名簿と住民アカウントを結びつける',
    why: '住所地の市町村の防災・福祉の担当者が、避難行動要支援者名簿の人と住民アカウントを氏名・生年月日で照らし合わせ、災害時に避難所での受付や安否の登録から、避難できたかどうかをすぐに確かめます。',
    recipient: { kind: 'own-municipality' },
    categories: ['name', 'birthDate'],
    dpv: 'dpv:ServiceProvision',
    duration: 'P1Y',
  },
];

const byId = new Map(purposes.map((p) => [p.id, p]));
export const purposeOf = (id: string): Purpose | undefined => byId.get(id);
