// name: datacentre_spare_capacity
// description: Small or costly-and-full data centres (hosting only their operator's systems) and the near data centres with spare racks that could take them; the Cypher form of queries/datacentres.py site_pairs (grouping max_hops 1, same nation).
// mode: read
// param small_racks: int  A site with at most this many racks is small (datacentre.small_racks)
// param costly_ratio: float  A full site whose cost per used rack is at least this times the estate median is costly (datacentre.costly_ratio)
// returns: site, operator, racks_used, host, host_operator, spare, proximity
MATCH (x:DataCentre)
WHERE x.racks_used > 0 AND x.annual_cost IS NOT NULL
WITH percentileCont(toFloat(x.annual_cost) / x.racks_used, 0.5) AS median
MATCH (o:Organisation)-[:OPERATES]->(d:DataCentre)
OPTIONAL MATCH (s:System)-[:HOSTED_IN]->(d)
WITH median, o, d, collect(s.organisation) AS owners
WITH o, d, o.source IS NOT NULL AND size(owners) > 0 AND all(w IN owners WHERE w = o.id)
       AND d.racks IS NOT NULL AND d.racks_used > 0 AND d.annual_cost IS NOT NULL
       AND (d.racks <= $small_racks
            OR (toFloat(d.annual_cost) / d.racks_used >= $costly_ratio * median AND d.racks = d.racks_used)) AS leaving
WITH collect({o: o, d: d, leaving: leaving}) AS sites
UNWIND sites AS m
UNWIND sites AS h
WITH m.o AS mo, m.d AS md, h.o AS ho, h.d AS hd, m.leaving AS leaving, h.leaving AS hosting_out
WHERE leaving AND NOT hosting_out AND ho.source IS NOT NULL AND hd.racks - hd.racks_used > 0
  AND mo <> ho AND md.currency = hd.currency
  AND (mo.nation IS NULL OR ho.nation IS NULL OR mo.nation = ho.nation)
WITH mo, md, ho, hd,
     CASE
       WHEN EXISTS { MATCH (mo)-[:MEMBER_OF]->(p:Partnership)<-[:MEMBER_OF]-(ho) WHERE p.status <> 'ended' } THEN 1.0
       WHEN EXISTS { (mo)-[:NEIGHBOURS]-(ho) } THEN 0.8
       WHEN mo.type = 'district' AND ho.type = 'district'
            AND EXISTS { MATCH (mo)-[:NEIGHBOURS]-(c:Organisation)-[:NEIGHBOURS]-(ho) WHERE c.type = 'county' } THEN 0.6
       ELSE 0.0
     END AS proximity
WHERE proximity > 0
RETURN md.id AS site, mo.id AS operator, md.racks_used AS racks_used, hd.id AS host, ho.id AS host_operator,
       hd.racks - hd.racks_used AS spare, proximity
ORDER BY site, host
