// Entity scopes and scopeQ (ETSI GS CIM 009 v1.8, 4.18–4.19): an entity may carry scope paths such as
// /Aomori/Hirosaki/Shelters; a scopeQ selects entities by them. `/Aomori/#` is /Aomori and every scope
// below it, `+` stands for one level (/Aomori/+/Shelters), `/#` for any scope; `;` is and, `,` is or.
import { problem } from './errors.ts';

const pattern = /^(?:\/#|(?:\/(?:[^/#+\s;,()]+|\+))+(?:\/#)?)$/;

function segmentsMatch(p: string[], s: string[]): boolean {
  for (let i = 0; ; i++) {
    if (p[i] === '#') return true;
    if (i === p.length || i === s.length) return i === p.length && i === s.length;
    if (p[i] !== '+' && p[i] !== s[i]) return false;
  }
}

/** Whether one scope path lies under a scopeQ pattern. */
export const scopeMatches = (pat: string, scope: string) => segmentsMatch(pat.split('/').slice(1), scope.split('/').slice(1));

export type ScopeQuery = string[][];

/** Parses a scopeQ into alternatives (,) of patterns that must all hold (;). */
export function parseScopeQ(text: string): ScopeQuery {
  const alternatives = text.split(',').map((alt) => alt.split(';').map((p) => p.trim()));
  for (const p of alternatives.flat())
    if (!pattern.test(p))
      throw problem('BadRequestData', `scopeQ: ${p || '(empty)'} is not a scope pattern such as /Aomori/# or /Aomori/+/Shelters.`);
  return alternatives;
}

/** Whether an entity's scopes satisfy a scopeQ: each pattern of some alternative matches one of them. */
export const scopeHolds = (q: ScopeQuery, scopes: string[] | undefined) =>
  !!scopes && q.some((all) => all.every((p) => scopes.some((s) => scopeMatches(p, s))));
