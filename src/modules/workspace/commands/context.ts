// What the workspace's commands run with: the database (its own tables: rounds, entries, sessions)
// and the plans module, whose tables it changes only through plans' commands.
import type { Db } from '../../../platform/db.ts';
import type { PlansModule } from '../../plans/index.ts';

export interface WorkspaceContext {
  db: Db;
  plans: Pick<PlansModule, 'commands' | 'queries'>;
}
