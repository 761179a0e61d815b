// name: organisations_by_capability
// description: For one capability, every organisation with the product it runs (the host's product for a partner-hosted system; null for bespoke).
// mode: read
// param capability: string  Capability id, e.g. council-tax
// returns: product, vendor, organisations, count
MATCH (o:Organisation)-[:RUNS]->(s:System)-[:SUPPORTS]->(:Capability {id: $capability})
OPTIONAL MATCH (s)-[:HOSTED_BY]->(host:System)
WITH o, coalesce(host, s) AS run
OPTIONAL MATCH (run)-[:INSTANCE_OF]->(p:Product)
OPTIONAL MATCH (p)-[:MADE_BY]->(v:Vendor)
WITH p, v, collect(DISTINCT o.id) AS orgs
RETURN p.id AS product, v.id AS vendor, COLLECT { UNWIND orgs AS x RETURN x ORDER BY x } AS organisations, size(orgs) AS count
ORDER BY count DESC, product
