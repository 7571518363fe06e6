// A road for the route tests: one RoadSegment (テスト通り, 青森市) running 50 m west from beside the point,
// 20 m north of it, so a start just east of a shelter is routed along it.
export const roadBeside = (id: string, [lon, lat]: [number, number]) => ({
  id: `urn:ngsi-ld:RoadSegment:${id}`,
  type: 'RoadSegment',
  name: { type: 'Property', value: 'テスト通り' },
  municipality: { type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201' },
  location: {
    type: 'GeoProperty',
    value: {
      type: 'LineString',
      coordinates: [
        [lon + 0.0005, lat + 0.0002],
        [lon, lat + 0.0002],
      ],
    },
  },
});
