// name: sharing_candidates
// description: What one organisation could share and with whom: for each of its capabilities, other organisations running the same product, neighbours first.
// mode: read
// param organisation: string  Organisation id, e.g. E07000117
// returns: capability, product, partner, partner_name, is_neighbour, partner_contract_end
MATCH (me:Organisation {id: $organisation})-[:RUNS]->(s:System)-[:SUPPORTS]->(c:Capability)
OPTIONAL MATCH (s)-[:HOSTED_BY]->(h:System)
WITH me, c, coalesce(h, s) AS run
MATCH (run)-[:INSTANCE_OF]->(p:Product)
MATCH (other:Organisation)-[:RUNS]->(t:System)-[:SUPPORTS]->(c)
WHERE other <> me
OPTIONAL MATCH (t)-[:HOSTED_BY]->(th:System)
WITH me, c, p, other, t, coalesce(th, t) AS trun
WHERE (trun)-[:INSTANCE_OF]->(p)
OPTIONAL MATCH (k:Contract)-[:COVERS]->(t)
WITH me, c, p, other, min(k.end_date) AS partner_contract_end
RETURN c.id AS capability, p.id AS product, other.id AS partner, other.name AS partner_name,
       EXISTS { (me)-[:NEIGHBOURS]-(other) } AS is_neighbour, partner_contract_end
ORDER BY capability, is_neighbour DESC, partner
