// Writes observations and publishes the plan with them, in one transaction with the caller's own
// checks and writes (a reporting round's status and audit entries): all of it commits, or none.
import type { Db } from '../../../platform/db.ts';
import { parsePeriod } from '../periods.ts';
import { insertObservations } from '../repository.ts';
import { write, type PlansContext } from './context.ts';
import { publishSnapshot } from './publish-snapshot.ts';

export interface ObservationsInput {
  planId: string;
  asOf: string;
  label: string;
  /** Where the publication's figures come from (shown with it). */
  provenance: string;
  /** Each value with its データの出所 as the editor stated it; its 出典 is the round (`label`). */
  observations: { indicatorId: number; value: number; periodLabel: string; note: string | null; dataSource: string | null }[];
}

/** Gives `work` the transaction and the function that publishes in it (answering the publication id). */
export type PublishIn<T> = (tx: Db, publish: (input: ObservationsInput) => Promise<number>) => Promise<T>;

export function publishObservations<T>(ctx: PlansContext, work: PublishIn<T>): Promise<T> {
  return write(ctx, (tx) =>
    work(tx, async (input) => {
      await insertObservations(
        tx,
        input.observations.map((o) => {
          const p = parsePeriod(o.periodLabel)!;
          return { ...o, periodEnd: p.end, asOf: p.asOf, provenance: `報告ラウンド「${input.label}」で承認された値` };
        }),
      );
      return publishSnapshot(tx, { planId: input.planId, asOf: input.asOf, label: input.label, provenance: input.provenance });
    }),
  );
}
