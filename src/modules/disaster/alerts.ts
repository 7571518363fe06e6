// The alerts: every `Alert` entity of the open data tenant in memory (the JSON, CAP, Atom and pages
// read them there; a disaster is everyone at once), dropped by a broker change to an Alert in any
// process (cache_versions 'disaster-alerts'), and the staff commands that issue, update and cancel.
// The commands write through the broker like every other writer; their audit entry is handed to the
// watcher, which appends it inside the broker write's transaction (one commit for both).
import { randomBytes } from 'node:crypto';
import { createCache, dataVersion } from '../../platform/cache.ts';
import type { Db } from '../../platform/db.ts';
import { appendAudit, type AuditEntry } from '../../platform/audit.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import type { BrokerModule, ChangeListener } from '../broker/index.ts';
import { alertKinds, alertSlug, fromEntity, toEntity, type Alert, type Severity, type StaffAlertKind } from './alert.ts';
import type { AlertDraft } from './alert-input.ts';
import { touchedMunicipalities } from './area.ts';
import { alertTexts } from './easy-japanese.ts';
import { hazardLabels } from './hazards.ts';
import { bumpVersion } from './repository.ts';
import { canActOnAlert } from './rules.ts';
import type { MapDataSource } from './shelters.ts';

export const ALERT_VERSION = 'disaster-alerts';
const ALERT_TYPE = 'https://uri.etsi.org/ngsi-ld/default-context/Alert';

export interface AlertData {
  /** Newest (updated) first. */
  all: (Alert & { slug: string })[];
  bySlug: Map<string, Alert & { slug: string }>;
  version: string;
}

const severities: Record<StaffAlertKind, Severity> = {
  emergencySafety: 'critical',
  evacuationOrder: 'high',
  elderlyEvacuation: 'medium',
  shelterOpening: 'low',
  advisory: 'informational',
};

export function alertService(db: Db, broker: Pick<BrokerModule, 'queries' | 'commands'>, map: MapDataSource) {
  const cache = createCache<AlertData>(1, dataVersion(db, ALERT_VERSION, 1000));
  const audits = new Map<string, AuditEntry>();
  let loads = 0;
  const load = async (): Promise<AlertData> => {
    const entities = await broker.queries.entities('', { types: ['Alert'], limit: 10_000 }, true);
    const all = entities
      .map((e) => fromEntity(e))
      .filter((a) => a !== undefined)
      .map((a) => ({ ...a, slug: alertSlug(a.id) }))
      .sort((a, b) => b.updated.localeCompare(a.updated) || a.id.localeCompare(b.id));
    return { all, bySlug: new Map(all.map((a) => [a.slug, a])), version: `${Date.now().toString(36)}-${++loads}` };
  };
  const get = () => cache.get('all', load);

  /** The alert draft made whole: municipalities from the drawn area, texts from the templates where left empty. */
  async function complete(actor: Actor, d: AlertDraft) {
    const data = await map.get();
    const codes = [
      ...new Set([...d.municipalities, ...(d.area ? touchedMunicipalities(d.area, data.municipalities.values()) : [])]),
    ].sort();
    const unknown = codes.find((c) => !data.municipalities.has(c));
    if (unknown) throw badRequest(`市町村コード ${unknown} は県内の市町村ではありません。`, { field: 'municipalities' });
    if (codes.length === 0) throw badRequest('描いた範囲は県内の市町村にかかっていません。', { field: 'area' });
    if (!canActOnAlert(actor, codes))
      throw badRequest('担当する市町村の範囲で発令してください。', { field: d.area ? 'area' : 'municipalities' });
    const names = codes.map((c) => data.municipalities.get(c)!.name);
    const texts = alertTexts(d.kind, names, d.hazard, d.hazard && hazardLabels[d.hazard]);
    return {
      municipalities: codes,
      names,
      headline: d.headline ?? texts.headline,
      description: d.description ?? texts.description,
      easyJapanese: d.easyJapanese ?? texts.easyJapanese,
    };
  }

  async function write(actor: Actor, alert: Alert, action: AuditEntry['action'], before?: Alert) {
    audits.set(alert.id, { actorId: actor.id, action, entity: 'disaster_alert', entityId: alert.id, before: before ?? null, after: alert });
    try {
      await broker.commands.put('', toEntity(alert));
    } finally {
      audits.delete(alert.id);
    }
    cache.clear();
    return { ...alert, slug: alertSlug(alert.id) };
  }

  /** An alert the actor may change, else 404 (missing and forbidden look the same). */
  async function own(actor: Actor, slug: string) {
    const a = (await get()).bySlug.get(slug);
    if (!a || !a.source.startsWith('staff:') || !canActOnAlert(actor, a.municipalities)) throw notFound('避難情報');
    return a;
  }

  const draft = (d: AlertDraft, c: Awaited<ReturnType<typeof complete>>) => ({
    kind: d.kind,
    headline: c.headline,
    description: c.description,
    easyJapanese: c.easyJapanese,
    severity: severities[d.kind],
    ...(d.hazard && { hazard: d.hazard }),
    municipalities: c.municipalities,
    ...(d.area && { area: d.area }),
    expires: d.expires,
  });

  const strip = ({ slug: _slug, ...a }: Alert & { slug: string }): Alert => a;

  return {
    get,
    preview: complete,
    /** The staff alert the actor may change (its page, 改めて発令, 解除); 404 otherwise. */
    editable: own,
    /** Whose name the alert goes out in: the municipality for its editor, the prefecture otherwise. */
    async issue(actor: Actor, d: AlertDraft) {
      const c = await complete(actor, d);
      const now = new Date().toISOString();
      const source = `staff:${actor.roles.includes('prefecture_admin') ? 'pref' : actor.municipalityCode}`;
      const id = `urn:ngsi-ld:Alert:staff-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
      return write(actor, { id, ...draft(d, c), status: 'issued', issued: now, updated: now, source }, 'issue_alert');
    },
    async update(actor: Actor, slug: string, d: AlertDraft) {
      const before = strip(await own(actor, slug));
      if (before.status === 'cancelled') throw badRequest('解除した避難情報は改めて発令できません。新しく発令してください。');
      const c = await complete(actor, d);
      const history = [...(before.history ?? []), before.updated];
      const after: Alert = { ...before, ...draft(d, c), status: 'updated', updated: new Date().toISOString(), history };
      if (!d.area) delete after.area;
      if (!d.hazard) delete after.hazard;
      return write(actor, after, 'update_alert', before);
    },
    async cancel(actor: Actor, slug: string) {
      const before = strip(await own(actor, slug));
      if (before.status === 'cancelled') return { ...before, slug };
      const history = [...(before.history ?? []), before.updated];
      return write(actor, { ...before, status: 'cancelled', updated: new Date().toISOString(), history }, 'cancel_alert', before);
    },
    /** Appends a staff command's audit entry in the write's transaction, and drops the alerts everywhere. */
    watcher: (async (tx, changes) => {
      const alerts = changes.filter((c) => c.tenant === '' && (c.after ?? c.before)!.types.includes(ALERT_TYPE));
      if (!alerts.length) return;
      for (const c of alerts) {
        const entry = audits.get((c.after ?? c.before)!.id);
        if (entry) await appendAudit(tx, entry);
      }
      await bumpVersion(tx, ALERT_VERSION);
      return () => cache.clear();
    }) satisfies ChangeListener,
  };
}

export type AlertService = ReturnType<typeof alertService>;
export const kindLabel = (k: Alert['kind']) => alertKinds[k];
