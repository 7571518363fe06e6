// A consent record as ISO/IEC TS 27560 information in DPV terms (JSON-LD), following the DPV guide
// "Implementing ISO/IEC TS 27560:2023 Consent Records and Receipts using DPV"
// (https://w3id.org/dpv/guides/consent-27560): header, processing, parties, and the status events.
import type { OrgUnit } from '../organisations/index.ts';
import { categoryOf } from './categories.ts';
import { consentState, type ConsentRow } from './consents.ts';
import { purposeOf } from './purposes.ts';

export const dpvContext = {
  dpv: 'https://w3id.org/dpv#',
  pd: 'https://w3id.org/dpv/pd#',
  'renkei-pd': 'https://w3id.org/renkei/pd#',
  dct: 'http://purl.org/dc/terms/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

const time = (d: Date) => ({ '@value': d.toISOString(), '@type': 'xsd:dateTime' });
const named = (id: string, type: string, title: string) => ({ '@id': id, '@type': type, 'dct:title': title });
export const unitIri = (id: string) => `urn:renkei:organisation:${id}`;
export const consentIri = (id: string) => `urn:renkei:consent:${id}`;

/** The status events so far: given, then withdrawn or expired when that time has passed. */
function events(row: ConsentRow, at: Date) {
  const out: Record<string, unknown>[] = [
    {
      '@type': 'dpv:ConsentGiven',
      'dpv:isIndicatedBy': { '@id': 'dpv:DataSubject' },
      'dpv:isIndicatedAtTime': time(row.givenAt),
      'dpv:hasIndicationMethod': 'マイページの同意画面で「同意する」を押した',
    },
  ];
  const state = consentState(row, at);
  if (state === 'withdrawn')
    out.push({
      '@type': 'dpv:ConsentWithdrawn',
      'dpv:isIndicatedBy': { '@id': 'dpv:DataSubject' },
      'dpv:isIndicatedAtTime': time(row.withdrawnAt!),
      'dpv:hasIndicationMethod': 'マイページの同意画面で「撤回する」を押した',
    });
  if (state === 'expired') out.push({ '@type': 'dpv:ConsentExpired', 'dpv:isIndicatedAtTime': time(row.expiresAt) });
  return out;
}

/** The record as of `at`; `recipient` and `operator` come from the organisations registry. */
export function consentRecordJsonLd(row: ConsentRow, recipient: OrgUnit | undefined, operator: OrgUnit | undefined, at = new Date()) {
  const purpose = purposeOf(row.purposeId);
  return {
    '@context': dpvContext,
    '@id': consentIri(row.id),
    '@type': 'dpv:ConsentRecord',
    'dct:identifier': row.id,
    'dct:conformsTo': 'https://w3id.org/dpv/schema/dpv-27560#record',
    'dct:created': time(row.givenAt),
    'dct:language': 'ja',
    'dpv:hasDataSubject': { '@id': `urn:renkei:resident:${row.residentId}`, '@type': 'dpv:DataSubject', 'dct:identifier': row.residentId },
    'dpv:hasNotice': {
      '@id': `urn:renkei:notice:${row.purposeId}:v${row.purposeVersion}`,
      '@type': 'dpv:ConsentNotice',
      'dct:title': purpose?.title ?? row.purposeId,
      'dct:hasVersion': String(row.purposeVersion),
    },
    'dpv:hasPurpose': {
      '@id': `urn:renkei:purpose:${row.purposeId}`,
      '@type': ['dpv:Purpose', purpose?.dpv ?? 'dpv:Purpose'],
      'dct:title': purpose?.title ?? row.purposeId,
      'dct:description': purpose?.why ?? '',
    },
    'dpv:hasLegalBasis': { '@id': row.legalBasis },
    'dpv:hasPersonalData': row.categories.map((c) => ({ '@id': categoryOf(c)?.dpv ?? `renkei-pd:${c}`, 'dct:identifier': c })),
    'dpv:hasProcessing': [{ '@id': 'dpv:Store' }, { '@id': 'dpv:Share' }, { '@id': 'dpv:Use' }],
    'dpv:hasDataController': named(unitIri(operator?.id ?? 'operator'), 'dpv:DataController', operator?.fullName ?? '青森県'),
    'dpv:hasRecipient': named(unitIri(row.recipientId), 'dpv:Recipient', recipient?.fullName ?? row.recipientId),
    'dpv:hasDuration': { '@type': 'dpv:TemporalDuration', 'rdf:value': purpose?.duration ?? null },
    // The validity as an ISO 8601 interval, from giving to expiry.
    'dct:valid': `${row.givenAt.toISOString()}/${row.expiresAt.toISOString()}`,
    // The events in order: the last one is the current status.
    'dpv:hasConsentStatus': events(row, at),
  };
}
