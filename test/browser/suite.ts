// What a browser test file sets up: the app served on a loopback port (test/db.ts) with Chromium
// (chromium.ts), a phone-sized page, and a member of staff to sign in with signInStaff.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { createAccount } from '../../src/modules/identity/index.ts';
import { serveTestApp } from '../db.ts';
import { launchChromium, phoneViewport } from './chromium.ts';

export type ServedApp = Awaited<ReturnType<typeof serveTestApp>>;

/** The password of every staff account made here. */
export const staffPassword = 'correct horse battery staple';

/**
 * Serves the app (the `aomori` template, or what `serve` makes) with the default data loaded when
 * `defaultData` asks for it, and launches Chromium. Call it in beforeAll, and closeSuite in afterAll.
 */
export async function openSuite(o: { defaultData?: boolean; serve?: () => Promise<ServedApp> } = {}) {
  const t = await (o.serve ?? serveTestApp)();
  if (o.defaultData) await t.broker.loadDefaultData();
  const browser = await launchChromium();
  return { t, browser };
}

/** Closes what openSuite opened (either may be missing when beforeAll failed). */
export async function closeSuite(browser: Browser | undefined, t: ServedApp | undefined) {
  await browser?.close();
  await t?.close();
}

/** A new page in a new phone-sized context (`options` add to it, e.g. isMobile). */
export async function phonePage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  return (await browser.newContext({ viewport: phoneViewport, ...options })).newPage();
}

/** A municipality editor (青森市 unless `municipalityCode` says otherwise): what signInStaff takes. */
export async function municipalityEditor(t: ServedApp, email = 'aomori@example.jp', o: { name?: string; municipalityCode?: string } = {}) {
  const a = await createAccount(t.database.db, {
    email,
    name: o.name ?? '青森 職員',
    password: staffPassword,
    roles: ['municipality_editor'],
    municipalityCode: o.municipalityCode ?? '02201',
  });
  return { email, password: staffPassword, totpSecret: a.totpSecret, id: a.id };
}

export type StaffAccount = Awaited<ReturnType<typeof municipalityEditor>>;
