// What a round would publish without: owned indicators with no approved entry (by owner unit, named
// by the registry's full name), and
// indicators nobody owns (so nobody was asked). Publishing anyway needs a confirmation that names
// them, and the confirmation is this summary itself: if it changed since the page was shown (a new
// owner, an entry approved), the old confirmation no longer matches and the command refuses.
export interface MissingIndicator {
  id: number;
  code: string;
  name: string;
  ownerDepartment: string | null;
}

export interface Missing {
  /** Departments with owned indicators and no approved entry, with how many, in order of first appearance. */
  departments: { department: string; count: number }[];
  /** Indicators without an owner and without an approved entry. */
  unowned: { code: string; name: string }[];
  /** What the confirmation 「未提出の部局（…）」 names (and posts back); null when nothing is missing. */
  summary: string | null;
}

const listed = (names: string[], max = 5) =>
  names.length > max ? `${names.slice(0, max).join('、')}ほか${names.length - max}件` : names.join('、');

export function missingForPublication(
  indicators: MissingIndicator[],
  approvedIndicatorIds: Set<number>,
  name: (ownerId: string) => string,
): Missing {
  const departments = new Map<string, number>();
  const unowned: Missing['unowned'] = [];
  for (const i of indicators) {
    if (approvedIndicatorIds.has(i.id)) continue;
    if (i.ownerDepartment) {
      const d = name(i.ownerDepartment);
      departments.set(d, (departments.get(d) ?? 0) + 1);
    } else unowned.push({ code: i.code, name: i.name });
  }
  const parts = [
    ...(departments.size ? [[...departments].map(([d, n]) => `${d}（${n}件）`).join('、')] : []),
    ...(unowned.length ? [`担当部局が未設定の指標${unowned.length}件: ${listed(unowned.map((u) => u.name))}`] : []),
  ];
  return {
    departments: [...departments].map(([department, count]) => ({ department, count })),
    unowned,
    summary: parts.length ? parts.join('／') : null,
  };
}
