// name: who_runs_product
// description: Organisations running a product, directly or on a partner's hosted system, with the capabilities it serves them for.
// mode: read
// param product: string  Product id, e.g. civica/openrevenues
// returns: organisation, name, system, via_host, capabilities
MATCH (p:Product {id: $product})<-[:INSTANCE_OF]-(run:System)
MATCH (s:System)<-[:RUNS]-(o:Organisation)
WHERE s = run OR (s)-[:HOSTED_BY]->(run)
WITH o, s, run, COLLECT { MATCH (s)-[:SUPPORTS]->(c:Capability) RETURN c.id ORDER BY c.id } AS capabilities
RETURN o.id AS organisation, o.name AS name, s.id AS system,
       CASE WHEN s = run THEN null ELSE run.id END AS via_host, capabilities
ORDER BY organisation, system
