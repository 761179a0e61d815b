// name: datacentre_spare_capacity
// description: Every data centre that could close or shrink (it records racks, racks used and annual cost, and hosts only its operator's systems) with the near data centres of other organisations that have spare racks; no size or cost screen (money decides in ictgraph suggest). The Cypher form of queries/suggest/datacentres.py site_pairs (grouping max_hops 1, same nation).
// mode: read
// returns: site, operator, racks_used, host, host_operator, spare, proximity
MATCH (o:Organisation)-[:OPERATES]->(d:DataCentre)
OPTIONAL MATCH (s:System)-[:HOSTED_IN]->(d)
WITH o, d, collect(s.organisation) AS owners
WITH o, d, o.source IS NOT NULL AND size(owners) > 0 AND all(w IN owners WHERE w = o.id)
       AND d.racks IS NOT NULL AND d.racks_used > 0 AND d.annual_cost IS NOT NULL AS site,
     o.source IS NOT NULL AND d.racks - d.racks_used > 0 AS host
WITH collect({o: o, d: d, site: site, host: host}) AS centres
UNWIND centres AS m
UNWIND centres AS h
WITH m.o AS mo, m.d AS md, h.o AS ho, h.d AS hd
WHERE m.site AND h.host AND mo <> ho AND md.currency = hd.currency
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
