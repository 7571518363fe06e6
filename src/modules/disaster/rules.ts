// Who may do what in the disaster module. Pure (table-tested in rules.test.ts); a refusal is a 404.
import type { Actor } from '../identity/index.ts';

const isPrefAdmin = (a: Actor) => a.roles.includes('prefecture_admin');
const ownMunicipality = (a: Actor) => (a.roles.includes('municipality_editor') ? a.municipalityCode : null);

/** Staff who issue alerts at all: a prefecture administrator, or a municipality editor with a municipality. */
export const canUseAlerts = (a: Actor) => isPrefAdmin(a) || ownMunicipality(a) !== null;

/** The municipalities an actor may issue for: all (undefined) for a prefecture administrator, else their own. */
export const alertMunicipalitiesOf = (a: Actor): string[] | undefined => {
  if (isPrefAdmin(a)) return undefined;
  const own = ownMunicipality(a);
  return own ? [own] : [];
};

/** Issue, update or cancel an alert for these municipalities: every one of them must be the actor's. */
export function canActOnAlert(a: Actor, municipalities: string[]): boolean {
  if (isPrefAdmin(a)) return true;
  const own = ownMunicipality(a);
  return own !== null && municipalities.length > 0 && municipalities.every((m) => m === own);
}

/** A municipality's layers: its own municipality editors, and prefecture administrators for any. */
export function canManageLayers(actor: Pick<Actor, 'roles' | 'municipalityCode'>, code: string): boolean {
  if (actor.roles.includes('prefecture_admin')) return true;
  return actor.roles.includes('municipality_editor') && actor.municipalityCode === code;
}

/** The municipalities whose layers this actor may manage, of those given. */
export const layerMunicipalities = <T extends { code: string }>(actor: Pick<Actor, 'roles' | 'municipalityCode'>, all: T[]) =>
  all.filter((m) => canManageLayers(actor, m.code));

/** A shelter's operations (open/close, capacity, supplies, sick, incidents): its municipality's editors, and prefecture administrators for any. */
export const canOperateShelter = (actor: Pick<Actor, 'roles' | 'municipalityCode'>, municipality: string) =>
  canManageLayers(actor, municipality);

/** Disaster information for a municipality by staff (write, confirm, end): its editors, and prefecture administrators for any. */
export const canPostInformation = (actor: Pick<Actor, 'roles' | 'municipalityCode'>, municipality: string) =>
  canManageLayers(actor, municipality);

/** 写真投稿 moderation (see and decide a municipality's reports): the same staff as its layers. */
export const canModerateReports = canManageLayers;

/** A decision on a pending report: approve, or reject with a reason; a decided report stays decided. */
export function reportDecision(status: string, decision: string, reason: string): { to: 'approved' | 'rejected' } | { refused: string } {
  // A published report can still be taken down (a face, a name plate seen later): rejected, with a reason.
  if (status === 'rejected' || (status === 'approved' && decision !== 'reject')) return { refused: 'この投稿はすでに判断済みです。' };
  if (decision === 'approve') return { to: 'approved' };
  if (decision !== 'reject') return { refused: '承認か却下を選んでください。' };
  return reason.trim() ? { to: 'rejected' } : { refused: '却下の理由を入力してください。' };
}

/** 安否確認's staff side (PFIF export and import): the same staff as alerts — a prefecture administrator, or a municipality editor with a municipality. */
export const canUseSafety = canUseAlerts;

/** The municipalities whose 安否 records an actor exports: all (undefined) for a prefecture administrator, else their own. */
export const safetyMunicipalitiesOf = alertMunicipalitiesOf;

/** Where an import is held: the municipality editor's own municipality (a prefecture administrator imports through a municipality's staff). */
export const safetyImportMunicipality = (a: Actor): string | null => ownMunicipality(a);
/**
 * 避難行動要支援者名簿 (災害対策基本法 第49条の10〜11): the municipality's own municipality editors only — its
 * disaster and welfare staff, who make and use the roster. Not prefecture administrators (the roster is the
 * municipality's, and the Act gives it to the municipality), not shelter reception accounts (a reception
 * account is a `viewer` of its municipality), not other municipalities.
 */
export const canUseRoster = (actor: Pick<Actor, 'roles' | 'municipalityCode'>, municipality: string) =>
  actor.roles.includes('municipality_editor') && actor.municipalityCode === municipality;
/** 罹災証明書 (review, survey, grade, issue): the municipality's editors, and prefecture administrators for any. */
export const canHandleCertificates = canManageLayers;

/** A 罹災証明書 application's steps: 受付 → 調査予定 → 判定済 → 交付; the survey may be moved before the grade is decided. */
export const certificateSteps = {
  schedule: { from: ['received', 'scheduled'], to: 'scheduled' },
  decide: { from: ['scheduled'], to: 'decided' },
  issue: { from: ['decided'], to: 'issued' },
} as const;
export type CertificateStep = keyof typeof certificateSteps;

export function certificateStep(status: string, step: CertificateStep): { to: string } | { refused: string } {
  const s = certificateSteps[step];
  if ((s.from as readonly string[]).includes(status)) return { to: s.to };
  if (status === 'issued') return { refused: 'この罹災証明書はすでに交付済みです。' };
  if (step === 'issue') return { refused: '被害の程度を判定してから交付してください。' };
  if (status === 'decided') return { refused: '被害の程度はすでに判定済みです。' };
  return { refused: '調査日を決めてから判定してください。' };
}
