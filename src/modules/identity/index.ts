/**
 * identity — the platform's common ID (共通ID): an OpenID Connect provider at /id with staff
 * accounts (argon2id passwords and TOTP), sign-in pages, and the CLI to create the first administrator.
 */
import type { Db } from '../../platform/db.ts';
import { interactionRoutes } from './interaction.tsx';
import { createProvider, STAFF_CLIENT_ID } from './provider.ts';
import { findAccountById, type StaffAccount } from './repository.ts';

export { STAFF_CLIENT_ID };
export type { StaffAccount };
export { createAccount } from './commands/create-account.ts';
export { secret as platformSecret } from './repository.ts';
export { currentTotp } from './credentials.ts';

export async function identityModule(deps: { db: Db; baseUrl: string }) {
  const { provider, staffClientSecret } = await createProvider(deps);
  return {
    provider,
    staffClientSecret,
    issuer: `${deps.baseUrl}/id`,
    routes: interactionRoutes(deps.db, provider),
    findAccount: (id: string) => findAccountById(deps.db, id),
  };
}

export type IdentityModule = Awaited<ReturnType<typeof identityModule>>;
