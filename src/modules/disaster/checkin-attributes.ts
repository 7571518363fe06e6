// 避難者の属性 (issue 14 point 6; seed 004 資料2-4, ダッシュボード): coarse counts of a card holder's household
// by age group and whether anyone has a 要配慮 item, derived at check-in from the data the resident's
// `shelter-reception` consent covers for the shelter's municipality, read through the gate (logged).
// The age groups are the 国勢調査's 年齢3区分 (0–14 / 15–64 / 65歳以上), with 65歳以上 split into
// 65–74 and 75歳以上 (前期・後期高齢者, 高齢者の医療の確保に関する法律): the groups the prefecture's
// statistics publish. No birth date → 年齢不明, never guessed. Only the counts are kept.
import type { GateActor, ResidentsModule } from '../residents/index.ts';

export interface AgeCounts {
  age0to14: number | null;
  age15to64: number | null;
  age65to74: number | null;
  age75plus: number | null;
  ageUnknown: number | null;
}
export interface Attributes extends AgeCounts {
  needsCare: boolean | null;
}

export const ageGroups = [
  { key: 'age0to14', label: '0〜14歳' },
  { key: 'age15to64', label: '15〜64歳' },
  { key: 'age65to74', label: '65〜74歳' },
  { key: 'age75plus', label: '75歳以上' },
  { key: 'ageUnknown', label: '年齢不明' },
] as const;

/** A home outside the prefecture (home_municipality): reception asks no further. */
export const OUTSIDE_PREFECTURE = 'outside';

export const UNKNOWN: Attributes = { age0to14: null, age15to64: null, age65to74: null, age75plus: null, ageUnknown: null, needsCare: null };

const careCategories = ['mobility', 'medicalDevices', 'medication', 'allergies'];
const wanted = ['birthDate', 'household', ...careCategories];

/** Full years at `on` (both YYYY-MM-DD), or null for a missing or malformed date or one after `on`. */
export function ageAt(birthDate: unknown, on: string): number | null {
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || birthDate > on) return null;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const groupOf = (age: number | null): keyof AgeCounts =>
  age === null ? 'ageUnknown' : age <= 14 ? 'age0to14' : age <= 64 ? 'age15to64' : age <= 74 ? 'age65to74' : 'age75plus';

/** Counts by age group of the given birth dates (one per person; undefined when a category was not read). */
export function countAges(birthDates: unknown[], on: string): AgeCounts {
  const out: AgeCounts = { age0to14: 0, age15to64: 0, age65to74: 0, age75plus: 0, ageUnknown: 0 };
  for (const b of birthDates) out[groupOf(ageAt(b, on))]! += 1;
  return out;
}

/** A 要配慮 item is present when its data item holds anything (a non-empty string, list or object). */
const present = (v: unknown) =>
  v !== undefined && v !== null && v !== false && !(typeof v === 'string' && !v.trim()) && !(Array.isArray(v) && !v.length);

/**
 * The household's attributes from the data the consent covers, else all unknown (and nothing read,
 * so no access log row). Age counts need `birthDate`: the household's members without the
 * `household` category stay out of the counts (the typed number of people still counts them).
 */
export async function deriveAttributes(
  residents: Pick<ResidentsModule, 'queries'>,
  reader: GateActor,
  residentId: string,
  purposeId: string,
  at: string,
): Promise<Attributes> {
  const consent = await residents.queries.validConsent(residentId, purposeId, reader.organisationId ?? '', []);
  const categories = wanted.filter((c) => consent?.categories.includes(c));
  if (!consent || !categories.length) return UNKNOWN;
  const data = await residents.queries.read(reader, residentId, purposeId, categories, 'page').catch(() => null);
  if (!data) return UNKNOWN;
  const members = Array.isArray(data.household) ? (data.household as { birthDate?: unknown }[]) : [];
  const ages = categories.includes('birthDate') ? countAges([data.birthDate, ...members.map((m) => m?.birthDate)], at.slice(0, 10)) : null;
  const asked = careCategories.filter((c) => categories.includes(c));
  return {
    ...(ages ?? UNKNOWN),
    needsCare: asked.length ? asked.some((c) => present(data[c])) : null,
  };
}
