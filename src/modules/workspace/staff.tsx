// Staff screens (/staff), in the order they must be mounted: the session first (sign-in pages, then
// the middleware that requires a session and a CSRF token on every POST), then the screens by role.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../platform/errors.ts';
import type { Db } from '../../platform/db.ts';
import type { IdentityModule } from '../identity/index.ts';
import type { OrganisationsModule } from '../organisations/index.ts';
import type { PlansModule } from '../plans/index.ts';
import type { ResidentsModule } from '../residents/index.ts';
import { accountRoutes } from './accounts.tsx';
import { auditRoutes } from './audit.tsx';
import { brokerClientRoutes } from './broker-clients.tsx';
import { dataProtectionRoutes } from './data-protection.tsx';
import type { StaffScreens, WorkspaceCommands } from './index.ts';
import { measureRoutes } from './measures.tsx';
import type { Env } from './page.tsx';
import { organisationRoutes } from './organisations.tsx';
import { ownerRoutes } from './owners.tsx';
import { projectRoutes } from './projects.tsx';
import { roundRoutes } from './rounds.tsx';
import { meRoutes } from './me.tsx';
import { sessionRoutes } from './session.tsx';
import { spreadsheetRoutes } from './spreadsheets.tsx';
import { structureRoutes } from './structure.tsx';

export interface StaffDeps {
  db: Db;
  baseUrl: string;
  identity: IdentityModule;
  cookieSecret: string;
  plans: Pick<PlansModule, 'commands' | 'queries'>;
  organisations: Pick<OrganisationsModule, 'queries' | 'commands'>;
  commands: WorkspaceCommands;
  residents: Pick<ResidentsModule, 'queries' | 'commands'>;
  screens?: StaffScreens[];
}

export function staffRoutes(deps: StaffDeps) {
  const { db, identity, plans } = deps;
  const app = new Hono<Env>();
  // The account and shelter forms are small: a larger body is refused before the session middleware reads it.
  const tooLarge = () => {
    throw new AppError(413, 'too_large', '送信内容が大きすぎます。入力内容を確認して、もう一度送信してください。');
  };
  const small = bodyLimit({ maxSize: 64 * 1024, onError: tooLarge });
  // Shelter operations and reception (disaster) post short texts only.
  for (const path of ['/staff/accounts', '/staff/accounts/*', '/staff/me/*', '/staff/disaster/shelters/*']) app.post(path, small);
  // Every other form, uploads included (spreadsheets, a municipality's layers: 5 MB files), has a ceiling too.
  app.post('/staff/*', bodyLimit({ maxSize: 12 * 1024 * 1024, onError: tooLarge }));
  app.route('/', sessionRoutes(deps));
  app.route('/', roundRoutes(deps));
  app.route('/', structureRoutes({ plans }));
  app.route('/', measureRoutes({ plans }));
  app.route('/', projectRoutes({ plans }));
  app.route('/', spreadsheetRoutes({ plans, cookieSecret: deps.cookieSecret }));
  app.route('/', brokerClientRoutes({ db, identity }));
  app.route('/', organisationRoutes(deps));
  app.route('/', ownerRoutes(deps));
  app.route('/', auditRoutes({ db, identity, organisations: deps.organisations }));
  app.route('/', accountRoutes({ db, identity, units: () => deps.organisations.queries.units() }));
  app.route('/', meRoutes({ db, identity }));
  app.route('/', dataProtectionRoutes(deps));
  for (const screens of deps.screens ?? []) app.route('/', screens.routes);
  return app;
}
