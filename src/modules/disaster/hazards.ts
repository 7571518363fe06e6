// The eight hazard types of the 指定緊急避難場所 data (災害対策基本法施行令 第20条の4 / 国土地理院's columns),
// as the broker's `hazards` property names them (docs/ngsi-ld.md). One list for the map filter, the
// offline pack's nearest shelters, routes and alerts.
export const hazardTypes = ['flood', 'landslide', 'stormSurge', 'earthquake', 'tsunami', 'largeFire', 'inlandFlooding', 'volcano'] as const;
export type HazardType = (typeof hazardTypes)[number];

export const hazardLabels: Record<HazardType, string> = {
  flood: '洪水',
  landslide: '崖崩れ、土石流及び地滑り',
  stormSurge: '高潮',
  earthquake: '地震',
  tsunami: '津波',
  largeFire: '大規模な火事',
  inlandFlooding: '内水氾濫',
  volcano: '火山現象',
};

export const isHazardType = (s: unknown): s is HazardType => typeof s === 'string' && (hazardTypes as readonly string[]).includes(s);
