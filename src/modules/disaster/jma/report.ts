// One 防災情報XML document (気象庁防災情報XMLフォーマット: Report / Control (管理部) / Head (ヘッダ部) / Body
// (内容部)) read into what the adapter acts on: which report it is, and per area what is in force or has
// ended. Areas are 「市町村等」 codes (7 digits, the municipality's 5-digit code + 2); earthquakes name
// municipalities in Body/Intensity/Observation/Pref/Area/City. Pure: no I/O.
import { clearedStatuses, nothingInForce, reportTitles, warningClass, type WarningClass } from './classes.ts';
import { node, nodes, parseXml, text } from './xml.ts';

export interface AreaStatement {
  /** The 7-digit 市町村等 code. */
  area: string;
  areaName: string;
  /** undefined: nothing of this series is in force in the area (発表警報・注意報はなし). */
  class?: WarningClass & { code: string; name: string; active: boolean };
}

export interface EarthquakeStatement {
  /** 5-digit municipality codes where an intensity was observed, with the highest. */
  cities: { code: string; name: string }[];
  maxIntensity: string;
}

export interface Report {
  series: 'VPWW53' | 'VXWW50' | 'VXKO' | 'VXSE';
  title: string;
  office: string;
  /** 発表, 訂正, 取消 (遅延 is read as 発表). */
  infoType: string;
  eventId: string;
  serial: string;
  reportDateTime: string;
  headline: string;
  /** The report's identity: never acted on twice. */
  key: string;
  areas: AreaStatement[];
  earthquake?: EarthquakeStatement;
}

/** The report, or a reason it is not one the adapter takes (another title, a drill, a test). */
export function readReport(xml: string): Report | string {
  const root = node(parseXml(xml).Report);
  const control = node(root.Control);
  const head = node(root.Head);
  const title = text(control.Title);
  const series = reportTitles[title];
  if (!series) return `not a report the adapter takes (${title.slice(0, 40) || 'no Control/Title'})`;
  // 訓練 and 試験 are drills and tests: never alerts.
  if (text(control.Status) !== '通常') return `a report with Control/Status ${text(control.Status).slice(0, 10)}`;
  const reportDateTime = text(head.ReportDateTime);
  if (!Number.isFinite(Date.parse(reportDateTime))) return 'a report without a valid Head/ReportDateTime';
  const office = text(control.EditorialOffice) || text(control.PublishingOffice);
  const infoType = text(head.InfoType);
  const eventId = text(head.EventID);
  const serial = text(head.Serial);
  const body = node(root.Body);
  return {
    series,
    title,
    office,
    infoType,
    eventId,
    serial,
    reportDateTime: new Date(reportDateTime).toISOString(),
    headline: text(node(head.Headline).Text),
    key: [title, office, eventId, reportDateTime, serial, infoType].join('|'),
    areas: series === 'VXSE' ? [] : warningAreas(series, body),
    ...(series === 'VXSE' && earthquake(body)),
  };
}

function warningAreas(series: Report['series'], body: Record<string, unknown>): AreaStatement[] {
  const out: AreaStatement[] = [];
  for (const warning of nodes(body.Warning)) {
    for (const item of nodes(warning.Item)) {
      const areas = [...nodes(item.Area), ...nodes(node(item.Areas).Area)]
        .map((a) => ({ area: text(a.Code), areaName: text(a.Name) }))
        .filter((a) => /^\d{7}$/.test(a.area));
      for (const a of areas) {
        for (const k of nodes(item.Kind)) {
          const status = text(k.Status);
          if (status === nothingInForce) {
            out.push(a);
            continue;
          }
          const code = text(k.Code);
          const name = text(k.Name);
          const c = warningClass(series, code, name);
          if (c) out.push({ ...a, class: { ...c, code, name, active: !clearedStatuses.has(status) && !clearedStatuses.has(name) } });
        }
      }
    }
  }
  return out;
}

function earthquake(body: Record<string, unknown>): Pick<Report, 'earthquake'> | undefined {
  const observation = node(node(body.Intensity).Observation);
  const cities = nodes(observation.Pref)
    .flatMap((p) => nodes(p.Area))
    .flatMap((a) => nodes(a.City))
    .map((c) => ({ code: text(c.Code), name: text(c.Name) }))
    .filter((c) => /^\d{7}$/.test(c.code));
  if (!cities.length) return undefined;
  return { earthquake: { cities, maxIntensity: text(observation.MaxInt) } };
}
