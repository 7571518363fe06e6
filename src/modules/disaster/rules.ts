// Who may do what in the disaster module (pure, table-tested in rules.test.ts).
import type { Actor } from '../identity/index.ts';

/** A municipality's layers: its own municipality editors, and prefecture administrators for any. */
export function canManageLayers(actor: Pick<Actor, 'roles' | 'municipalityCode'>, code: string): boolean {
  if (actor.roles.includes('prefecture_admin')) return true;
  return actor.roles.includes('municipality_editor') && actor.municipalityCode === code;
}

/** The municipalities whose layers this actor may manage, of those given. */
export const layerMunicipalities = <T extends { code: string }>(actor: Pick<Actor, 'roles' | 'municipalityCode'>, all: T[]) =>
  all.filter((m) => canManageLayers(actor, m.code));
