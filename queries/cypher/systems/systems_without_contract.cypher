// name: systems_without_contract
// description: Product systems that no contract covers (partner-hosted and bespoke systems excluded): unknown costs and renewal dates.
// mode: read
// returns: organisation, system, name, product, annual_cost
MATCH (o:Organisation)-[:RUNS]->(s:System)-[:INSTANCE_OF]->(p:Product)
WHERE NOT EXISTS { (:Contract)-[:COVERS]->(s) }
RETURN o.id AS organisation, s.id AS system, s.name AS name, p.id AS product, s.annual_cost AS annual_cost
ORDER BY organisation, system
