// name: thin_skills
// description: Skills a product needs (requires_skills) where an organisation runs the product in-house but holds the skill below a threshold, with the organisations that hold it at the threshold or more and run the same product in-house (queries/skills.py skill_partners).
// mode: read
// param thin_fte: float  A skill held below this many FTE is thin (skills.thin_fte)
// returns: organisation, skill, product, fte, partner, partner_fte
MATCH (o:Organisation)-[:RUNS]->(s:System)-[:INSTANCE_OF]->(p:Product)-[:REQUIRES]->(k:Skill)
WHERE o.source IS NOT NULL AND s.hosting IN ['on-premise', 'private-cloud'] AND coalesce(s.bespoke, false) = false
OPTIONAL MATCH (o)-[h:HAS_SKILL]->(k)
WITH DISTINCT o, k, p, coalesce(h.fte, 0.0) AS fte
WHERE fte < $thin_fte
MATCH (partner:Organisation)-[:RUNS]->(t:System)-[:INSTANCE_OF]->(p)
WHERE partner <> o AND t.hosting IN ['on-premise', 'private-cloud'] AND coalesce(t.bespoke, false) = false
MATCH (partner)-[ph:HAS_SKILL]->(k)
WHERE ph.fte >= $thin_fte
RETURN DISTINCT o.id AS organisation, k.id AS skill, p.id AS product, fte, partner.id AS partner,
       ph.fte AS partner_fte
ORDER BY organisation, skill, product, partner
