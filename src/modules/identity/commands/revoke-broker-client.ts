// Removes a broker client: it gets no more tokens, and the broker refuses its tokens within a minute
// (the module's command also forgets this process's checked tokens at once).
import { appendAudit } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db.ts';
import { notFound } from '../../../platform/errors.ts';
import { destroyPayload, findPayload } from '../repository.ts';

export async function revokeBrokerClient(db: Db, clientId: string, actorId: string | null) {
  await db.transaction(async (tx) => {
    const client = await findPayload(tx, 'Client', { id: clientId });
    // Only broker clients: the platform's configured clients are not revoked from here.
    if (!client || typeof client.payload.broker_scope !== 'string') throw notFound('クライアント');
    await destroyPayload(tx, 'Client', clientId);
    await appendAudit(tx, {
      actorId,
      action: 'delete',
      entity: 'broker_client',
      entityId: clientId,
      before: { name: client.payload.client_name, scope: client.payload.broker_scope },
    });
  });
}
