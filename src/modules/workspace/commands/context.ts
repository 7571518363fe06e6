// What the workspace's commands run with: the database (its own tables: rounds, entries, sessions)
// the plans module, whose tables it changes only through plans' commands, and the registry.
import type { Db } from '../../../platform/db.ts';
import type { OrganisationsModule } from '../../organisations/index.ts';
import type { PlansModule } from '../../plans/index.ts';

export interface WorkspaceContext {
  db: Db;
  plans: Pick<PlansModule, 'commands' | 'queries'>;
  /** Owners are shown by the registry's names (pages, the publish confirmation, reminders). */
  organisations: Pick<OrganisationsModule, 'queries'>;
}
