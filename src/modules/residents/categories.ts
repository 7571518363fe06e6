// 個人データの区分: every item a resident may register is one data category, named by a term of the
// W3C Data Privacy Vocabulary (DPV 2.x, personal data extension `pd:`, https://w3id.org/dpv/pd#),
// or by Renkei's own term under https://w3id.org/renkei/pd# where DPV has none. Consents, the gate
// and the access log name categories by these ids; pages show the Japanese label.

export interface DataCategory {
  /** The id used in consents, the gate, the access log and the broker's attribute names. */
  id: string;
  label: string;
  /** The DPV term (compact IRI: `pd:` = https://w3id.org/dpv/pd#, `renkei-pd:` = Renkei's own). */
  dpv: string;
  /** 要配慮個人情報 (個人情報保護法 第2条第3項): health and disability data; shown with a warning. */
  special: boolean;
}

const category = (id: string, label: string, dpv: string, special = false): DataCategory => ({ id, label, dpv, special });

/** In the order マイページ asks for them; the seed's list (資料2-4, マイ避難情報登録) from `household` on. */
export const dataCategories: readonly DataCategory[] = [
  category('name', '氏名', 'pd:Name'),
  category('address', '住所', 'pd:PhysicalAddress'),
  category('birthDate', '生年月日', 'pd:BirthDate'),
  category('phone', '電話番号', 'pd:TelephoneNumber'),
  category('household', '世帯の人（氏名・続柄・生年月日）', 'pd:FamilyStructure'),
  category('mobility', '移動の支援（車いす・歩行の介助など）', 'pd:Disability', true),
  category('medicalDevices', '医療機器（人工呼吸器・酸素・透析など）', 'pd:MedicalHealth', true),
  category('medication', '服薬', 'pd:Prescription', true),
  category('allergies', 'アレルギー', 'pd:HealthRecord', true),
  category('languages', '話せる言語・必要な通訳', 'pd:Language'),
  category('pets', '同行するペット', 'renkei-pd:Pets'),
  category('supporter', '支援の申し出（ボランティア・医療関係者・教職員）', 'pd:Professional'),
];

export const categoryIds = dataCategories.map((c) => c.id);
export type CategoryId = (typeof categoryIds)[number];

/** Data other modules hold (held.ts) and name in the access log; no purpose takes them, so no consent covers them. */
export const heldCategories: readonly DataCategory[] = [
  category('safetyNote', '安否の居場所・伝言', 'renkei-pd:SafetyNote'),
  category('myAreaPoint', 'マイエリアの地点', 'pd:Location'),
];
const byId = new Map([...dataCategories, ...heldCategories].map((c) => [c.id, c]));
export const categoryOf = (id: string): DataCategory | undefined => byId.get(id);

/** The JSON-LD terms of the categories (id → DPV term, with its prefixes): the broker's personal @context. */
export const categoryContext: Record<string, string> = {
  pd: 'https://w3id.org/dpv/pd#',
  'renkei-pd': 'https://w3id.org/renkei/pd#',
  ...Object.fromEntries(dataCategories.map((c) => [c.id, c.dpv])),
};
