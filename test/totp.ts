// A test's authenticator app. The verifiers take each TOTP time step once per account (RFC 6238 §5.2),
// so a test that signs one account in again and again needs a fresh step each time: this gives the
// codes of successive steps inside the verifier's window, and when the window is used up it waits
// for the next step, as a person would.
import { setTimeout as sleep } from 'node:timers/promises';
import { currentTotp } from '../src/modules/identity/credentials.ts';
import { TOTP_WINDOW } from '../src/modules/identity/rules.ts';

const PERIOD = 30_000;
/** The step before the current one is given only with this much of the step left, so it is still in the window when checked. */
const MARGIN = 10_000;
const lastStep = new Map<string, number>();

export async function nextTotp(secret: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / PERIOD);
    const earliest = PERIOD - (now % PERIOD) > MARGIN ? current - TOTP_WINDOW : current;
    const step = Math.max(earliest, (lastStep.get(secret) ?? -Infinity) + 1);
    if (step <= current + TOTP_WINDOW) {
      lastStep.set(secret, step);
      return currentTotp(secret, step * PERIOD);
    }
    await sleep(PERIOD - (now % PERIOD) + 50);
  }
}
