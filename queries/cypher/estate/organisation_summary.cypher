// name: organisation_summary
// description: Each organisation with its type, population and counts of systems, contracts, data centres and contract value.
// mode: read
// returns: organisation, name, type, population, systems, contracts, datacentres, annual_contract_value
MATCH (o:Organisation)
WHERE o.name IS NOT NULL
RETURN o.id AS organisation, o.name AS name, o.type AS type, o.population AS population,
       COUNT { (o)-[:RUNS]->(:System) } AS systems,
       COUNT { (o)-[:HOLDS]->(:Contract) } AS contracts,
       COUNT { (o)-[:OPERATES]->(:DataCentre) } AS datacentres,
       COLLECT { MATCH (o)-[:HOLDS]->(k:Contract) RETURN sum(k.annual_value) }[0] AS annual_contract_value
ORDER BY organisation
