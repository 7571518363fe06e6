// A vision's fiscal years: its budget columns, on the staff screens as on the public pages. The one
// place the staff side reads them from, until the vision's data carries them (Vision.fiscalYears).
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { findPlan } from './repository.ts';
import { fiscalYears } from './vision.ts';

export async function visionFiscalYears(db: Db, planId: string): Promise<number[]> {
  const plan = await findPlan(db, planId);
  if (plan?.kind !== 'vision') throw notFound('計画');
  return [...fiscalYears];
}
