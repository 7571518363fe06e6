// The public page types the browser walks check one by one (phones, English), one entry each.
export const publicPageTypes = [
  ['the front door', '/'],
  ['a dashboard', '/plans/aomori-dx'],
  ['a field', '/plans/aomori-dx/fields/industry'],
  ['a KPI', '/plans/aomori-dx/kpis/industry-2'],
  ['the reconciliation', '/plans/aomori-dx/reconciliation'],
  ['a vision', '/plans/aomori-regional-vision'],
  ['the project list, filtered', '/plans/aomori-regional-vision/projects?category=category-1'],
  ['a project', '/plans/aomori-regional-vision/projects/1'],
  ['a municipality', '/plans/aomori-regional-vision/municipalities/02201'],
  ['a progress report', '/plans/aomori-regional-vision/reports/2020'],
  ['the versions', '/plans/aomori-regional-vision/versions'],
  ['a diff of two versions', '/plans/aomori-regional-vision/versions/v44/v55'],
  ['the city plan', '/plans/aomori-city-plan'],
  ['a policy', '/plans/aomori-city-plan/policies/2-1'],
  ['a policy of the unnamed chapter', '/plans/aomori-city-plan/policies/3-1'],
  ['the 404 page', '/no-such-page'],
] as const;
