// What the broker's tests share: a Link header naming an @context, and a shelter vocabulary served
// from the broker's local context map (NGSI_LD_CONTEXTS in production).
import { outbound } from '../src/platform/outbound.ts';

export const linkHeader = (url: string) => `<${url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;

export const SHELTER_CONTEXT = 'https://example.jp/aomori-context.jsonld';
export const shelterContexts = {
  [SHELTER_CONTEXT]: {
    '@context': {
      Shelter: 'https://smartdatamodels.org/dataModel.Emergency/Shelter',
      capacity: 'https://smartdatamodels.org/capacity',
      name: 'https://schema.org/name',
    },
  },
};

/** The outbound policy of tests whose receivers listen on 127.0.0.1 (OUTBOUND_ALLOW=127.0.0.1). */
export const loopbackOutbound = outbound({ allow: ['127.0.0.1'] });

/**
 * A JSON request to the broker at /ngsi-ld/v1 + `path`, naming `link`'s @context; `app` is read at each
 * call, since tests create theirs in beforeAll.
 */
export const brokerRequest =
  (app: () => { request: (url: string, init: RequestInit) => Response | Promise<Response> }, link = linkHeader(SHELTER_CONTEXT)) =>
  (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app().request(`/ngsi-ld/v1${path.startsWith('/') ? '' : '/'}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Link: link, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
