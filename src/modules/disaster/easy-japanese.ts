// Texts the staff form starts from, per kind: the headline, the full text, and the やさしい日本語 version.
// The easy texts follow the 出入国在留管理庁・文化庁「在留支援のためのやさしい日本語ガイドライン」 and the
// Cabinet Office's guidance for 避難情報: one thing per sentence, short sentences, plain words instead of
// 漢語 (避難 → にげる), no double negatives, the action first. Staff edit them before sending. Pure.
import type { StaffAlertKind } from './alert.ts';
import { alertKinds } from './alert.ts';
import type { HazardType } from './hazards.ts';

/** Hazards in plain words (やさしい日本語). */
const easyHazards: Record<HazardType, string> = {
  flood: '川の 水が あふれる',
  landslide: '山や がけが くずれる',
  stormSurge: '海の 水が 高く なる',
  earthquake: '大きな 地震',
  tsunami: '津波（つなみ）',
  largeFire: '大きな 火事',
  inlandFlooding: '町に 水が たまる',
  volcano: '火山（かざん）が ふん火する',
};

const easy: Record<StaffAlertKind, (place: string, danger: string) => string> = {
  evacuationOrder: (place, danger) =>
    `${place}の 人は にげてください。${danger}あぶないです。すぐに 避難所（ひなんじょ）へ 行ってください。外が あぶない ときは、家の 高い ところへ 行ってください。`,
  elderlyEvacuation: (place, danger) =>
    `${place}の お年寄り（おとしより）や 体の 不自由な 人は、今 にげてください。${danger}あぶなく なるかもしれません。ほかの 人も にげる 準備（じゅんび）を してください。`,
  emergencySafety: (place, danger) =>
    `${place}は とても あぶないです。${danger}命（いのち）を 守って ください。今 いる ところで、いちばん 安全な ところへ すぐに 行ってください。`,
  shelterOpening: (place) => `${place}で 避難所（ひなんじょ）が 開きました。だれでも 行けます。お金は いりません。`,
  advisory: (place, danger) => `${place}の 人は 気を つけてください。${danger}あぶなく なるかもしれません。ニュースを 見てください。`,
};

const full: Record<StaffAlertKind, (place: string, hazard: string) => string> = {
  evacuationOrder: (p, h) => `${p}に${h}避難指示を発令しました。危険な場所にいる人は全員、直ちに避難してください。`,
  elderlyEvacuation: (p, h) => `${p}に${h}高齢者等避難を発令しました。高齢者や障害のある人など避難に時間のかかる人は避難を始めてください。`,
  emergencySafety: (p, h) =>
    `${p}に${h}緊急安全確保を発令しました。災害が発生しているか切迫しています。直ちに命を守る行動をとってください。`,
  shelterOpening: (p) => `${p}で避難所を開設しました。開設している避難所は防災マップで確認できます。`,
  advisory: (p, h) => `${p}に${h}注意を呼びかけます。今後の情報に注意してください。`,
};

export interface AlertTexts {
  headline: string;
  description: string;
  easyJapanese: string;
}

/** The starting texts for a kind, the places (names, e.g. 「青森市」) and the hazard, if any. */
export function alertTexts(kind: StaffAlertKind, places: string[], hazard?: HazardType, hazardLabel?: string): AlertTexts {
  const place = places.length > 3 ? `${places.slice(0, 3).join('、')}など` : places.join('、') || '県内';
  const danger = hazard ? `${easyHazards[hazard]} ことが あり、` : '';
  return {
    headline: `${place}に${alertKinds[kind]}${hazardLabel ? `（${hazardLabel}）` : ''}`,
    description: full[kind](place, hazardLabel ? `${hazardLabel}のため` : ''),
    easyJapanese: easy[kind](place, danger),
  };
}
