// name: shared_products
// description: Products that two organisations both run, and for which capabilities each runs them.
// mode: read
// param a: string  First organisation id
// param b: string  Second organisation id
// returns: product, name, capabilities_a, capabilities_b
MATCH (:Organisation {id: $a})-[:RUNS]->(sa:System)-[:INSTANCE_OF]->(p:Product)<-[:INSTANCE_OF]-(sb:System)<-[:RUNS]-(:Organisation {id: $b})
WITH p,
     COLLECT { MATCH (sa)-[:SUPPORTS]->(c:Capability) RETURN DISTINCT c.id ORDER BY c.id } AS ca,
     COLLECT { MATCH (sb)-[:SUPPORTS]->(c:Capability) RETURN DISTINCT c.id ORDER BY c.id } AS cb
RETURN p.id AS product, p.name AS name, ca AS capabilities_a, cb AS capabilities_b
ORDER BY product
