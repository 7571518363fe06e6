// The common ID's side of a resident's sign-in for a citizen service: マイページ's sign-in ends,
// and the interaction the service started finishes with the resident's account.
import type Provider from 'oidc-provider';
import { isResidentClient } from './provider.ts';

/** RFC 8176 method references for each resident sign-in method. */
const amrOf: Record<string, string[]> = {
  'password-totp': ['pwd', 'otp', 'mfa'],
  passkey: ['hwk', 'user'],
  mynumber: ['sc', 'pin', 'mfa'],
};

/** Where the browser goes on (the provider's resume step), or undefined when the interaction is gone or not a resident client's. */
export async function finishResidentInteraction(provider: Provider, uid: string, residentId: string, method: string) {
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) return undefined;
  const client = await provider.Client.find(String(interaction.params.client_id));
  // A staff client's interaction is never finished with a resident account.
  if (!isResidentClient(client)) return undefined;
  interaction.result = { login: { accountId: residentId, amr: amrOf[method] ?? [] } };
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  return interaction.returnTo;
}
