// A claimed JMA report becomes Alert writes on the broker's open-data tenant: per area and phenomenon
// (a topic) one alert — issued, then updated as later reports change its class (注意報 → 警報) or
// correct it (訂正), cancelled by 「解除」, 「発表警報・注意報はなし」 or a 取消 of the report that last changed
// it. A report older than the one a topic last saw changes nothing there.
import type { Db } from '../../../platform/db.ts';
import type { BrokerModule } from '../../broker/index.ts';
import { fromEntity, toEntity, type Alert, type Severity } from '../alert.ts';
import * as repo from '../repository-jma.ts';
import { defaultMinIntensity, easyJapanese, easyJapaneseEnded, intensityName, intensityRank } from './classes.ts';
import type { AreaStatement, Report } from './report.ts';

export interface ApplyDeps {
  db: Db;
  broker: Pick<BrokerModule, 'queries' | 'commands'>;
  /** Whether a 5-digit municipality code is one of this deployment's. */
  isOurs: (municipality: string) => Promise<boolean>;
  /** The lowest 震度 in a municipality that alerts it (JMA_MIN_INTENSITY, default 4). */
  minIntensity?: string;
}

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$|Z$/, '');
const safe = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
const seriesOf = (r: Report) => [r.series, r.office, r.eventId].join('|');
/** Times compared as instants: the database gives `2026-12-01 01:00:00+00`, reports ISO 8601. */
const ms = (t: string) => Date.parse(t);

/** What one report did: the alert ids issued, updated and cancelled. */
export interface Applied {
  issued: string[];
  updated: string[];
  cancelled: string[];
}

export async function applyReport(deps: ApplyDeps, report: Report): Promise<Applied> {
  const done: Applied = { issued: [], updated: [], cancelled: [] };
  const series = seriesOf(report);
  const cancel = async (row: repo.TopicAlert, headline?: string) => {
    const alert = await current(deps, row.alertId);
    if (alert) {
      const ended = {
        headline: headline ?? `${alert.headline}（${report.infoType === '取消' ? '取消' : '解除'}）`,
        easyJapanese: easyJapaneseEnded(alert.headline),
        description: report.headline || report.title,
      };
      await put(
        deps,
        { ...alert, ...ended, status: 'cancelled', updated: report.reportDateTime, sourceReport: report.key },
        done.cancelled,
      );
      await repo.saveTopicAlert(deps.db, { ...row, active: false, reportKey: report.key, reportTime: report.reportDateTime });
    }
  };

  if (report.infoType === '取消') {
    // It takes back the series' latest report: the alerts that report changed end.
    const rows = await repo.activeAlertsOfSeries(deps.db, series);
    const latest = rows.reduce<repo.TopicAlert | undefined>((a, r) => (!a || ms(r.reportTime) > ms(a.reportTime) ? r : a), undefined);
    for (const row of rows.filter((r) => r.reportKey === latest?.reportKey)) await cancel(row);
    return done;
  }
  if (report.ended) {
    // 指定河川洪水予報 with only 解除: every alert of the series ends.
    for (const row of await repo.activeAlertsOfSeries(deps.db, series))
      if (ms(row.reportTime) <= ms(report.reportDateTime)) await cancel(row);
    return done;
  }
  if (report.earthquake) {
    await applyEarthquake(deps, report, series, done);
    return done;
  }

  const ours: AreaStatement[] = [];
  for (const s of report.areas) if (await deps.isOurs(s.area.slice(0, 5))) ours.push(s);
  const topics = await repo.topicAlerts(
    deps.db,
    ours.flatMap((s) => (s.class ? [`${series}|${s.area}|${s.class.phenomenon}`] : [])),
  );
  for (const s of ours) {
    if (!s.class) {
      for (const row of await repo.activeAlertsOfSeries(deps.db, `${series}|${s.area}`))
        if (ms(row.reportTime) <= ms(report.reportDateTime)) await cancel(row);
      continue;
    }
    const c = s.class;
    const topic = `${series}|${s.area}|${c.phenomenon}`;
    const row = topics.get(topic);
    if (row && ms(row.reportTime) > ms(report.reportDateTime)) continue;
    if (!c.active) {
      if (row?.active) await cancel(row, `${s.areaName}の${c.name}は解除`);
      continue;
    }
    const changed = !row?.active || row.code !== c.code || report.infoType === '訂正';
    if (!changed) continue;
    const before = row?.active ? await current(deps, row.alertId) : undefined;
    const alert: JmaAlert = {
      id: before?.id ?? `urn:ngsi-ld:Alert:jma-${report.series.toLowerCase()}-${s.area}-${c.phenomenon}-${compact(report.reportDateTime)}`,
      kind: c.kind,
      headline: s.subject ? `${s.subject}に${c.name}（${s.areaName}）` : `${s.areaName}に${c.name}`,
      description: report.headline || report.title,
      easyJapanese: easyJapanese(c.kind, s.areaName, c.name),
      severity: c.severity,
      ...(c.hazard && { hazard: c.hazard }),
      municipalities: [s.area.slice(0, 5)],
    };
    await write(deps, report, alert, before, topic, c.code, done);
  }
  return done;
}

const intensitySeverity = (i: string): Severity => {
  const r = intensityRank(i);
  return r >= intensityRank('6-') ? 'critical' : r >= intensityRank('5-') ? 'high' : r >= intensityRank('4') ? 'medium' : 'low';
};

/** At most this many municipalities are named in an earthquake alert's headline. */
const namedInHeadline = 5;

async function applyEarthquake(deps: ApplyDeps, report: Report, series: string, done: Applied) {
  const min = intensityRank(deps.minIntensity ?? defaultMinIntensity);
  const cities: { code: string; name: string; intensity: string }[] = [];
  for (const c of report.earthquake!.cities)
    if (intensityRank(c.intensity) >= min && (await deps.isOurs(c.code.slice(0, 5)))) cities.push(c);
  if (!cities.length || !report.eventId) return;
  // Strongest first; equal 震度 keep the document's order.
  cities.sort((a, b) => intensityRank(b.intensity) - intensityRank(a.intensity));
  const topic = `${series}|earthquake`;
  const row = (await repo.topicAlerts(deps.db, [topic])).get(topic);
  if (row && ms(row.reportTime) >= ms(report.reportDateTime)) return;
  const before = row?.active ? await current(deps, row.alertId) : undefined;
  const strongest = cities[0]!.intensity;
  const named = cities.slice(0, namedInHeadline).map((c) => `${c.name} 震度${intensityName(c.intensity)}`);
  const more = cities.length - named.length;
  const alert: JmaAlert = {
    id: before?.id ?? `urn:ngsi-ld:Alert:jma-vxse-${safe(report.eventId)}`,
    kind: 'earthquake',
    headline: `地震（${named.join('、')}${more > 0 ? ` ほか${more}市町村` : ''}）`,
    description: [
      report.headline || report.title,
      report.earthquake!.maxIntensity && `最大震度${intensityName(report.earthquake!.maxIntensity)}`,
    ]
      .filter(Boolean)
      .join(' '),
    easyJapanese: easyJapanese('earthquake', cities.map((c) => c.name).join('、'), report.title),
    severity: intensitySeverity(strongest),
    hazard: 'earthquake',
    municipalities: [...new Set(cities.map((c) => c.code.slice(0, 5)))],
  };
  // The code recorded is the municipalities' 震度s: a later report that changes none of them changes nothing.
  const code = cities.map((c) => `${c.code}:${c.intensity}`).join(',');
  if (row?.active && row.code === code && report.infoType !== '訂正') return;
  await write(deps, report, alert, before, topic, code, done);
}

type JmaAlert = Omit<Alert, 'status' | 'issued' | 'updated' | 'source' | 'sourceReport'>;

/** Writes a report's alert (a new one, or an update of the topic's current one) and records it as the topic's. */
async function write(
  deps: ApplyDeps,
  report: Report,
  fields: JmaAlert,
  before: Alert | undefined,
  topic: string,
  code: string,
  done: Applied,
) {
  const alert: Alert = {
    ...fields,
    status: before ? 'updated' : 'issued',
    issued: before?.issued ?? report.reportDateTime,
    updated: report.reportDateTime,
    source: 'jma',
    sourceReport: report.key,
  };
  await put(deps, alert, before ? done.updated : done.issued);
  await repo.saveTopicAlert(deps.db, {
    topic,
    alertId: alert.id,
    code,
    active: true,
    reportKey: report.key,
    reportTime: report.reportDateTime,
  });
}

async function current(deps: ApplyDeps, id: string): Promise<Alert | undefined> {
  const e = await deps.broker.queries.entity('', id, true);
  return e && fromEntity(e);
}

async function put(deps: ApplyDeps, alert: Alert, into: string[]) {
  await deps.broker.commands.put('', toEntity(alert));
  into.push(alert.id);
}
