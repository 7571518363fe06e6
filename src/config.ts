import { z } from 'zod';
import { parseAllowList } from './platform/outbound.ts';
import { defaultLimits, type Limits } from './modules/broker/index.ts';

// The one place that reads the environment.
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data/pglite'),
  /** The URL people reach this server at (behind a proxy: its https URL); default http://HOST:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  /** A JSON file: organisations' own OpenID Connect providers their staff may sign in with. */
  IDENTITY_FEDERATION: z.string().optional(),
  /** A JSON file: { issuer, clientId, clientSecret } of デジタル認証アプリ, for residents' マイナンバーカード sign-in. */
  RESIDENT_MYNUMBER_PROVIDER: z.string().optional(),
  /** A JSON file: further trusted OIDC clients of the identity service (other Renkei, platform services). */
  IDENTITY_CLIENTS: z.string().optional(),
  /** Outgoing mail for reminders and invitation links, e.g. smtp://127.0.0.1:25; without it no reminder is sent. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Renkei <no-reply@localhost>'),
  /** How long an invitation, reset or re-enrolment link stays valid, in hours. */
  ACCOUNT_LINK_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /** NGSI-LD requests (other than open-data reads) need an access token; 'off' only for development and conformance suites. */
  NGSI_LD_AUTH: z.enum(['on', 'off']).default('on'),
  /** A JSON file: { "<@context URL>": "<path of its local copy>" } */
  NGSI_LD_CONTEXTS: z.string().optional(),
  /** What the server may call although the outbound policy refuses it: hosts, addresses and CIDRs, comma-separated. */
  OUTBOUND_ALLOW: z
    .string()
    .default('')
    .transform((v, ctx) => {
      try {
        return parseAllowList(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  /** Reverse proxies in front that append to X-Forwarded-For: the client is that many entries from its end (0: the connecting address). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** What one NGSI-LD request may ask (413 or 400 beyond); see README's configuration table. */
  NGSI_LD_MAX_BODY_BYTES: z.coerce.number().int().positive().default(defaultLimits.bodyBytes),
  NGSI_LD_MAX_SUBSCRIPTION_BYTES: z.coerce.number().int().positive().default(defaultLimits.subscriptionBytes),
  NGSI_LD_MAX_CONTEXT_BYTES: z.coerce.number().int().positive().default(defaultLimits.contextBytes),
  NGSI_LD_MAX_CONTEXTS: z.coerce.number().int().nonnegative().default(defaultLimits.contexts),
  NGSI_LD_MAX_BATCH: z.coerce.number().int().positive().default(defaultLimits.batchEntities),
  NGSI_LD_MAX_ATTRIBUTES: z.coerce.number().int().positive().default(defaultLimits.attributes),
  NGSI_LD_MAX_DEPTH: z.coerce.number().int().min(4).default(defaultLimits.depth),
  NGSI_LD_MAX_ID_LENGTH: z.coerce.number().int().positive().default(defaultLimits.idLength),
  NGSI_LD_MAX_NAME_LENGTH: z.coerce.number().int().positive().default(defaultLimits.nameLength),
  NGSI_LD_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(defaultLimits.queryMs),
  /** Residents' personal-data keys, `<id>:<base64 32 bytes>,…` (first seals); without it a key file is used. */
  RESIDENTS_KEYS: z.string().optional(),
  /** The residents key file, made at first start (mode 0600); default DATA_DIR/residents-keys.json. */
  RESIDENTS_KEY_FILE: z.string().optional(),
  /** JMA 防災情報XML Atom feeds to poll for alerts, comma-separated URLs; unset: off. */
  JMA_FEEDS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const urls = v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      for (const u of urls)
        if (!URL.canParse(u) || !/^https?:$/.test(new URL(u).protocol))
          ctx.addIssue({ code: 'custom', message: `"${u.slice(0, 80)}" is not an http(s) URL` });
      return urls;
    }),
  JMA_POLL_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
  /** The lowest 震度 in a municipality that alerts it (防災情報XML's MaxInt: 1–4, 5-, 5+, 6-, 6+, 7). */
  JMA_MIN_INTENSITY: z.enum(['1', '2', '3', '4', '5-', '5+', '6-', '6+', '7']).default('4'),
  /** The disaster map's base map: an https raster tile template ({z}/{x}/{y}) or a .pmtiles file; unset: boundaries only. */
  DISASTER_BASEMAP_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), 'http(s) の URL を指定してください。')
    .optional(),
  LOAD_DEFAULT_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type Config = z.infer<typeof schema>;

export const publicUrl = (c: Config) => (c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, '');

/** A configuration problem: its message is the one line the server prints before it exits. */
export class ConfigError extends Error {}

/** The broker's limits from the NGSI_LD_MAX_* variables. */
export const brokerLimits = (c: Config): Limits => ({
  bodyBytes: c.NGSI_LD_MAX_BODY_BYTES,
  subscriptionBytes: c.NGSI_LD_MAX_SUBSCRIPTION_BYTES,
  contextBytes: c.NGSI_LD_MAX_CONTEXT_BYTES,
  contexts: c.NGSI_LD_MAX_CONTEXTS,
  batchEntities: c.NGSI_LD_MAX_BATCH,
  attributes: c.NGSI_LD_MAX_ATTRIBUTES,
  depth: c.NGSI_LD_MAX_DEPTH,
  idLength: c.NGSI_LD_MAX_ID_LENGTH,
  nameLength: c.NGSI_LD_MAX_NAME_LENGTH,
  queryMs: c.NGSI_LD_QUERY_TIMEOUT_MS,
});

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`設定エラー / configuration error: 環境変数 / environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}
