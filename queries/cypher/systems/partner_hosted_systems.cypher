// name: partner_hosted_systems
// description: Systems an organisation uses on a partner's platform: who hosts what for whom, and on which product.
// mode: read
// returns: host_organisation, host_system, product, guest_organisation, guest_system, capabilities
MATCH (g:Organisation)-[:RUNS]->(s:System)-[:HOSTED_BY]->(h:System)<-[:RUNS]-(ho:Organisation)
OPTIONAL MATCH (h)-[:INSTANCE_OF]->(p:Product)
RETURN ho.id AS host_organisation, h.id AS host_system, p.id AS product, g.id AS guest_organisation, s.id AS guest_system,
       COLLECT { MATCH (s)-[:SUPPORTS]->(c:Capability) RETURN c.id ORDER BY c.id } AS capabilities
ORDER BY host_organisation, host_system, guest_organisation
