// E-mail reminders to the owners who have not submitted: a few days before the due date, and
// once it has passed. Each owner gets each reminder once per round, however many server processes
// run the job. A department's editors are reminded of what its sections own too (rules.ts).
import type { Mailer } from '../../../platform/mailer.ts';
import { listAccounts } from '../../identity/index.ts';
import { unitNames } from '../../organisations/index.ts';
import { ownsIndicator } from '../rules.ts';
import { claimReminder, listEntries, listRounds, releaseReminder } from '../repository.ts';
import type { WorkspaceContext } from './context.ts';

const DAY = 86400_000;

export interface ReminderOptions {
  planId: string;
  baseUrl: string;
  /** Today, as YYYY-MM-DD (injected so it can be tested). */
  today: string;
  daysBefore?: number;
}

export async function sendReminders(ctx: WorkspaceContext, mailer: Mailer, o: ReminderOptions) {
  const { db } = ctx;
  const sent: { to: string; roundId: number; kind: string }[] = [];
  const name = unitNames(await ctx.organisations.queries.units());
  for (const round of (await listRounds(db, o.planId)).filter((r) => r.status === 'open')) {
    const daysLeft = (Date.parse(round.dueDate) - Date.parse(o.today)) / DAY;
    const kind = daysLeft < 0 ? 'overdue' : daysLeft <= (o.daysBefore ?? 3) ? 'due_soon' : null;
    if (!kind) continue;
    const entries = await listEntries(db, round.id);
    const done = new Set(entries.filter((e) => e.status !== 'returned').map((e) => e.indicatorId));
    const missing = (await ctx.plans.queries.indicatorsForEntry(round.planId)).filter((i) => i.ownerDepartment && !done.has(i.id));
    for (const account of await listAccounts(db)) {
      const mine = missing.filter((i) => ownsIndicator(account, i));
      if (!mine.length || !(await claimReminder(db, round.id, account.id, kind))) continue;
      const mail = mailer.send({
        to: account.email,
        subject: `【Renkei】${round.label}の報告${kind === 'overdue' ? '期限を過ぎています' : `期限（${round.dueDate}）が近づいています`}`,
        text: [
          `${account.name} 様`,
          '',
          `報告ラウンド「${round.label}」で、次の指標の値がまだ提出されていません（提出期限 ${round.dueDate}）。`,
          ...mine.map((i) => `・${i.name}（${name(i.ownerDepartment!)}）`),
          '',
          `入力はこちらから: ${o.baseUrl}/staff/rounds/${round.id}`,
        ].join('\n'),
      });
      await mail.catch(async (err: unknown) => {
        await releaseReminder(db, round.id, account.id, kind);
        throw err;
      });
      sent.push({ to: account.email, roundId: round.id, kind });
    }
  }
  return sent;
}
