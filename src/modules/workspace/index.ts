/**
 * workspace — the staff side: sign-in through the common ID, reporting rounds (entry, submission,
 * approval, publication, reminders), the screens for changing plans (structure, revisions,
 * budgets, spreadsheets), the broker's clients and the audit trail. Owns rounds, entries and staff
 * sessions. Needs: identity (accounts, the OIDC provider) and plans (its commands and queries: every
 * change to a plan is a plans command) and organisations (the units owners and scopes are chosen from).
 */
import type { Db } from '../../platform/db.ts';
import type { Mailer } from '../../platform/mailer.ts';
import type { Module, Routes } from '../../platform/module.ts';
import type { Actor, IdentityModule } from '../identity/index.ts';
import type { OrganisationsModule } from '../organisations/index.ts';
import type { PlanRow, PlansModule } from '../plans/index.ts';
import type { ResidentsModule } from '../residents/index.ts';
import type { WorkspaceContext } from './commands/context.ts';
import { openRound } from './commands/open-round.ts';
import { publishRound } from './commands/publish-round.ts';
import { reviewEntry } from './commands/review-entry.ts';
import { sendReminders, type ReminderOptions } from './commands/send-reminders.ts';
import { submitEntry } from './commands/submit-entry.ts';
import { reportablePlans } from './plan-of-kind.ts';
import { findRound, listRounds, type Entry, type Round } from './repository.ts';
import { staffRoutes } from './staff.tsx';

export { openRoundInput } from './commands/open-round.ts';
export { entryInput } from './commands/submit-entry.ts';
export { reviewInput } from './commands/review-entry.ts';
export { publishInput } from './commands/publish-round.ts';
export type { ReminderOptions } from './commands/send-reminders.ts';
// For other modules' staff screens (mounted through `screens`): the page frame, CSRF field and form handling.
export { staffPage, Csrf, Alert as FormAlert, type Env as StaffEnv } from './page.tsx';
export { submitForm } from './form.ts';
/** CSV for Excel (BOM, CRLF, RFC 4180 quoting, formula-looking cells guarded): other modules' exports. */
export { toCsv } from './audit-format.ts';

export interface WorkspaceDeps {
  db: Db;
  baseUrl: string;
  identity: IdentityModule;
  cookieSecret: string;
  plans: Pick<PlansModule, 'commands' | 'queries'>;
  /** The registry the owner, scope and filter choices come from. */
  organisations: Pick<OrganisationsModule, 'queries' | 'commands'>;
  /** The data-protection page's reads and requests (disclosure, deletion). */
  residents: Pick<ResidentsModule, 'queries' | 'commands'>;
  /** Other modules' staff screens (e.g. /staff/disaster), mounted behind the session: they get the actor and CSRF check. */
  screens?: StaffScreens[];
}

/** A module's staff screens and the links the staff home page shows an actor for them. */
export interface StaffScreens {
  routes: Routes;
  links(actor: Actor): { href: string; label: string }[];
}

export interface WorkspaceCommands {
  openRound(actor: Actor, input: Parameters<typeof openRound>[2]): Promise<Round>;
  submitEntry(actor: Actor, input: Parameters<typeof submitEntry>[2]): Promise<Entry>;
  reviewEntry(actor: Actor, input: Parameters<typeof reviewEntry>[2]): Promise<Entry>;
  /** Answers the publication's id. */
  publishRound(actor: Actor, input: { roundId: number; confirmMissing?: string }): Promise<number>;
  /** E-mails the owners who have not submitted; answers what was sent. */
  sendReminders(mailer: Mailer, options: ReminderOptions): Promise<{ to: string; roundId: number; kind: string }[]>;
}

export interface WorkspaceQueries {
  /** The plans whose figures staff report in rounds (the DX plan's dashboard, the city plan). */
  roundPlans(): Promise<PlanRow[]>;
  rounds(planId: string): Promise<Round[]>;
  round(id: number): Promise<Round | undefined>;
}

export type WorkspaceModule = Module<WorkspaceCommands, WorkspaceQueries> & { routes: { staff: Routes } };

export function createWorkspaceModule(deps: WorkspaceDeps): WorkspaceModule {
  const ctx: WorkspaceContext = { db: deps.db, plans: deps.plans, organisations: deps.organisations };
  const commands: WorkspaceCommands = {
    openRound: (actor, input) => openRound(ctx, actor, input),
    submitEntry: (actor, input) => submitEntry(ctx, actor, input),
    reviewEntry: (actor, input) => reviewEntry(ctx, actor, input),
    publishRound: (actor, input) => publishRound(ctx, actor, input),
    sendReminders: (mailer, options) => sendReminders(ctx, mailer, options),
  };
  return {
    routes: { staff: staffRoutes({ ...deps, commands }) },
    commands,
    queries: {
      roundPlans: () => reportablePlans(deps.plans),
      rounds: (planId) => listRounds(deps.db, planId),
      round: (id) => findRound(deps.db, id),
    },
  };
}
