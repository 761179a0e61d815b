// name: capability_coverage
// description: Every capability with how many organisations serve it, how many distinct products they use, and how many systems are bespoke.
// mode: read
// returns: capability, name, organisations, products, bespoke_systems
MATCH (c:Capability)
OPTIONAL MATCH (c)<-[:SUPPORTS]-(s:System)<-[:RUNS]-(o:Organisation)
OPTIONAL MATCH (s)-[:HOSTED_BY]->(host:System)
WITH c, o, s, coalesce(host, s) AS run
OPTIONAL MATCH (run)-[:INSTANCE_OF]->(p:Product)
WITH c, count(DISTINCT o) AS organisations, count(DISTINCT p) AS products,
     count(DISTINCT CASE WHEN s.bespoke THEN s END) AS bespoke_systems
RETURN c.id AS capability, c.name AS name, organisations, products, bespoke_systems
ORDER BY organisations DESC, capability
