// name: policy_gaps
// description: Organisations lacking a standard (a policy's standard, e.g. iso-27001) that a partner in a partnership that has not ended, a neighbour or a district in the same county area adopts, in the same nation (queries/policies.py policy_gaps).
// mode: read
// returns: organisation, standard, adopter
MATCH (a:Organisation)-[:ADOPTS]->(p:Policy)
WHERE p.standard IS NOT NULL
WITH DISTINCT a, p.standard AS standard
MATCH (o:Organisation)
WHERE o.source IS NOT NULL AND o <> a
  AND NOT EXISTS { MATCH (o)-[:ADOPTS]->(q:Policy) WHERE q.standard = standard }
  AND (o.nation IS NULL OR a.nation IS NULL OR o.nation = a.nation)
  AND (EXISTS { MATCH (o)-[:MEMBER_OF]->(x:Partnership)<-[:MEMBER_OF]-(a) WHERE x.status <> 'ended' }
       OR EXISTS { (o)-[:NEIGHBOURS]-(a) }
       OR (o.type = 'district' AND a.type = 'district'
           AND EXISTS { MATCH (o)-[:NEIGHBOURS]-(c:Organisation)-[:NEIGHBOURS]-(a) WHERE c.type = 'county' }))
RETURN o.id AS organisation, standard, a.id AS adopter
ORDER BY organisation, standard, adopter
