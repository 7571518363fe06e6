// The purposes other modules open held values for (held.ts `fields.open`): not consentable — no consent
// covers them, the holder uses what it was given within the purpose it was given for (個人情報保護法
// 第69条第1項), on the basis named here. Every purpose id a `fields.open` call passes is listed
// (held-purposes.test.ts finds them in the source), so the access logs show a Japanese title, never an id.
import { DISCLOSURE } from './gate.ts';
import { purposeOf } from './purposes.ts';

export interface HeldPurpose {
  id: string;
  /** As the access logs show it. */
  title: string;
  /** The law (or reason) the holder keeps and uses the values under, in plain Japanese. */
  basis: string;
}

export const heldPurposes: readonly HeldPurpose[] = [
  {
    id: 'safety-confirmation',
    title: '安否確認',
    basis: '本人が登録した安否、または取り込んだ安否情報を、安否の確認と照会への回答に使う（災害対策基本法 第86条の15）',
  },
  {
    id: 'disaster-certificate',
    title: '罹災証明書の交付',
    basis: '申請者の氏名・住所と被害の内容を、罹災証明書の交付のための調査に使う（災害対策基本法 第90条の2）',
  },
  {
    id: 'shelter-reception',
    title: '避難所の受付（避難している人の把握）',
    basis: '受付で記録した氏名を、避難所にいる人の把握と支援に使う（災害対策基本法 第86条の6）',
  },
  {
    id: 'disaster-alerts',
    title: 'マイエリアへの防災情報の通知',
    basis:
      '本人が登録した地点を、そこにかかる避難情報・警報を本人の端末に通知するためだけに使う（本人が求めた利用目的の範囲内、個人情報保護法 第61条第1項・第69条第1項）',
  },
  {
    id: DISCLOSURE,
    title: '開示の請求',
    basis: '本人からの開示の請求に応じて、ほかのサービスが預かっている本人の情報を本人に開示する（個人情報保護法 第76条・第78条）',
  },
  {
    id: 'evacuation-support-roster',
    title: '避難行動要支援者名簿',
    basis: '市町村が作成した名簿の情報を、避難の支援と安否の確認に使う（災害対策基本法 第49条の10・第49条の11）',
  },
];

const byId = new Map(heldPurposes.map((p) => [p.id, p]));
export const heldPurposeOf = (id: string): HeldPurpose | undefined => byId.get(id);

/**
 * The one title every access-log view shows for a purpose id: a held read (basis 'held') by its held
 * purpose, other reads by the consentable purpose (purposes.ts), the disclosure export by its name;
 * an id in neither list as itself.
 */
export function purposeLabel(id: string, basis?: string): string {
  if (id === DISCLOSURE) return '開示の請求';
  const held = heldPurposeOf(id)?.title;
  const consentable = purposeOf(id)?.title;
  return (basis === 'held' ? (held ?? consentable) : (consentable ?? held)) ?? id;
}
