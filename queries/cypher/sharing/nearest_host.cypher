// name: nearest_host
// description: The nearest organisations, in neighbour hops (up to 3), already running a product for a capability: who could host.
// mode: read
// param organisation: string  The organisation looking for a host
// param product: string  Product id
// param capability: string  Capability id
// returns: host, name, hops, system
MATCH path = (me:Organisation {id: $organisation})-[:NEIGHBOURS*1..3]-(h:Organisation)
WHERE h <> me
MATCH (h)-[:RUNS]->(s:System)-[:INSTANCE_OF]->(:Product {id: $product})
WHERE (s)-[:SUPPORTS]->(:Capability {id: $capability})
RETURN h.id AS host, h.name AS name, min(length(path)) AS hops, min(s.id) AS system
ORDER BY hops, host
